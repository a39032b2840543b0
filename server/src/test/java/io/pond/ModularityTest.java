package io.pond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.core.Violations;

/** Module boundaries are checked on every build (ARCHITECTURE.md, "Modules"). */
class ModularityTest {

  @Test
  void pond_respects_its_module_boundaries() {
    ApplicationModules modules = ApplicationModules.of(PondApplication.class);
    assertThat(modules.getModuleByName("platform")).isPresent();
    modules.verify();
  }

  @Test
  void the_check_catches_a_module_that_reaches_into_another_modules_internals() {
    ApplicationModules fixture = ApplicationModules.of(
            io.pond.fixtures.violation.FixtureApplication.class, location -> true); // fixtures live in test sources
    assertThatThrownBy(fixture::verify)
        .isInstanceOf(Violations.class)
        .hasMessageContaining("internal");
  }
}
