package io.pond.platform.web;

import io.pond.platform.config.PondSettings;
import io.pond.platform.storage.DuckDbStore;
import java.io.PrintStream;
import java.sql.SQLException;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/** Opens the event store eagerly on a server start and tells the operator where Pond answers. */
@Component
class StartupReport {

  private final PondSettings settings;
  private final DuckDbStore events;

  StartupReport(PondSettings settings, DuckDbStore events) {
    this.settings = settings;
    this.events = events;
  }

  @EventListener
  void ready(ApplicationReadyEvent event) throws SQLException {
    if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
      return;
    }
    events.connection().close(); // fail now, not at the first event, if the store cannot open
    String base = "http://localhost:" + web.getWebServer().getPort();
    PrintStream out = System.out;
    out.println();
    out.println("  Pond is running (" + settings.database().kind() + " + DuckDB, data in " + settings.dataDir() + ")");
    if (new ClassPathResource("static/index.html").exists()) {
      out.println("    Console      " + base + "/");
    }
    out.println("    API docs     " + base + "/swagger-ui.html");
    out.println("    Health       " + base + "/actuator/health");
    out.println("    Metrics      " + base + "/actuator/prometheus");
    out.println("  Press Ctrl+C to stop.");
    out.println();
  }
}
