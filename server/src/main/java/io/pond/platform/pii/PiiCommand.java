package io.pond.platform.pii;

import io.pond.platform.audit.AuditLog;
import io.pond.platform.cli.CommandGroup;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import io.pond.platform.config.PondSettings;
import io.pond.platform.security.Actors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.springframework.transaction.support.TransactionTemplate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "pii",
    mixinStandardHelpOptions = true,
    description = "Personal data at rest: rotate the key that encrypts and hashes phones and e-mails.",
    subcommands = {PiiCommand.RotateKey.class})
public final class PiiCommand extends CommandGroup implements PondCommand {

  @Command(
      name = "rotate-key",
      mixinStandardHelpOptions = true,
      description = {
        "Make a new PII key current and re-key every store: values are re-encrypted and match hashes",
        "recomputed under the new key, in batches, each batch committed on its own. Stop the server first.",
        "With the key file (POND_PII_KEY unset) the new key is generated and written on top of the file;",
        "with POND_PII_KEY, give the new key in a file (--new-key-file) and set POND_PII_KEY to it afterwards.",
        "If interrupted, run it again with --resume before starting the server."
      })
  static final class RotateKey implements Callable<Integer> {
    @CommandLine.ParentCommand PiiCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--new-key-file", description = "File holding the new key (base64 of 32 bytes), required when POND_PII_KEY is set")
    Path newKeyFile;

    @Option(names = "--resume", description = "Add no key: finish re-keying every store under the current key")
    boolean resume;

    @Option(names = "--batch", defaultValue = "1000", description = "Rows per transaction (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--no-progress", description = "Do not draw progress bars")
    boolean noProgress;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (batch < 1 || batch > 100_000) {
        err.println("--batch must be between 1 and 100000");
        return 2;
      }
      return Jobs.withContext(parent.dataDir(), context -> {
        PondSettings settings = context.getBean(PondSettings.class);
        PiiKeys.Ring ring = PiiKeys.load(settings, context.getEnvironment().getProperty(PiiKeys.RETIRED_KEYS));
        PiiCipher cipher = ring.cipher();
        if (!resume) {
          byte[] fresh;
          try {
            if (!ring.fromFile()) {
              if (newKeyFile == null) {
                err.println("POND_PII_KEY is set: give the new key with --new-key-file FILE (openssl rand -base64 32 > FILE)");
                return 2;
              }
              fresh = PiiKeys.read(newKeyFile);
            } else {
              fresh = PiiKeys.fresh();
            }
            cipher = cipher.rotatedTo(fresh);
            if (ring.fromFile()) {
              List<byte[]> keep = new ArrayList<>();
              keep.add(ring.current());
              keep.addAll(ring.retired());
              PiiKeys.addCurrentKey(settings.piiKeyFile(), fresh, keep);
              out.printf(Locale.ROOT, "New key %s is current in %s; the old keys stay below it to decrypt%n",
                  cipher.keyId(), settings.piiKeyFile());
            }
          } catch (IOException | IllegalArgumentException e) {
            err.println("Cannot add the new key: " + e.getMessage());
            return 1;
          }
        }
        long changed = 0;
        for (PiiStore store : context.getBeansOfType(PiiStore.class).values()) {
          long rows;
          try {
            if (noProgress) {
              rows = store.rekey(cipher, batch, done -> {});
            } else {
              try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Re-keying " + store.name())
                  .setInitialMax(Math.max(1, store.size())).setConsumer(new ConsoleProgressBarConsumer(System.err))
                  .setUnit(" rows", 1).build()) {
                rows = store.rekey(cipher, batch, bar::stepTo);
              }
            }
          } catch (IllegalArgumentException missingKey) {
            err.println("Cannot re-key " + store.name() + ": " + missingKey.getMessage());
            err.println("Nothing is lost: rows re-keyed so far stay valid; add the missing key and run"
                + " `pond pii rotate-key --resume`.");
            return 1;
          }
          out.printf(Locale.ROOT, "%s: %d rows re-keyed%n", store.name(), rows);
          changed += rows;
        }
        String detail = changed + " rows re-keyed" + (resume ? " (resumed)" : "");
        String keyId = cipher.keyId();
        context.getBean(TransactionTemplate.class).executeWithoutResult(
            s -> context.getBean(AuditLog.class).record(Actors.cli(), "pii.key.rotated", "pii key " + keyId, detail));
        out.printf(Locale.ROOT, "Every store is under key %s (%d rows changed).%n", cipher.keyId(), changed);
        if (!ring.fromFile() && !resume) {
          out.println("Now set POND_PII_KEY to the new key (the content of " + newKeyFile + ") on every node before starting"
              + " the server. No stored value needs the old key any more; keep it in POND_PII_RETIRED_KEYS only for"
              + " backups taken before the rotation.");
        }
        return 0;
      });
    }
  }
}
