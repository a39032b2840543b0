package io.pond;

import io.pond.platform.cli.PondCli;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

/**
 * Pond (鱼塘): a private-domain customer data platform with omni-channel membership.
 *
 * <p>Every start goes through the CLI: {@code pond start} (or no arguments) runs the server, other
 * commands run short jobs against the same stores.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Modulithic(systemName = "Pond", sharedModules = "platform")
public class PondApplication {

  public static void main(String[] args) {
    int code = PondCli.run(args);
    if (code != PondCli.KEEP_RUNNING) {
      System.exit(code);
    }
  }
}
