package io.pond.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pond.PondApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A bad setting stops the start before any store is touched, naming the setting. */
class StartupFailureTest {

  @Test
  void a_bad_timezone_stops_the_start_and_names_the_setting() {
    SpringApplication app = new SpringApplication(PondApplication.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    assertThatThrownBy(() -> app.run("--POND_TIMEZONE=Mars/Olympus"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("Invalid setting POND_TIMEZONE: 'Mars/Olympus' is not a known time zone (e.g. Asia/Shanghai)");
  }

  @Test
  void the_failure_analysis_tells_the_operator_what_to_fix() {
    InvalidSettingException e = new InvalidSettingException("POND_PORT", "'x' is not a port number");
    FailureAnalysis analysis = new InvalidSettingFailureAnalyzer().analyze(new IllegalStateException(e));
    assertThat(analysis.getDescription()).isEqualTo("Invalid setting POND_PORT: 'x' is not a port number");
    assertThat(analysis.getAction()).contains("Fix POND_PORT");
  }
}
