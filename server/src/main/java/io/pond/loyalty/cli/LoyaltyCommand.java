package io.pond.loyalty.cli;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.ledger.EarningImport;
import io.pond.loyalty.ledger.LedgerQueries;
import io.pond.platform.cli.CommandGroup;
import io.pond.platform.cli.Jobs;
import io.pond.platform.cli.PondCommand;
import io.pond.platform.errors.PondException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pond loyalty …}: ledger maintenance from the command line, on the server's stores. */
@Command(
    name = "loyalty",
    mixinStandardHelpOptions = true,
    description = "Loyalty ledger maintenance.",
    subcommands = {LoyaltyCommand.Reconcile.class, LoyaltyCommand.ImportPoints.class})
public final class LoyaltyCommand extends CommandGroup implements PondCommand {

  @Command(
      name = "reconcile",
      mixinStandardHelpOptions = true,
      description = {
        "Recompute every account from its entries, lots and allocations and report any drift.",
        "Exit code 0: no drift; 3: drift found (each one is listed)."
      })
  static final class Reconcile implements Callable<Integer> {
    @CommandLine.ParentCommand LoyaltyCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--no-progress", description = "Do not draw a progress bar")
    boolean noProgress;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return Jobs.withOltpOnly(
          parent.dataDir(),
          context -> {
            LedgerQueries ledger = context.getBean(LedgerQueries.class);
            List<Long> accounts = ledger.accountIds();
            List<LedgerQueries.Drift> drifts = new ArrayList<>();
            ProgressBarBuilder bar =
                new ProgressBarBuilder()
                    .setTaskName("Reconciling")
                    .setInitialMax(accounts.size())
                    .setUnit(" accounts", 1)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .setUpdateIntervalMillis(200);
            if (noProgress) {
              accounts.forEach(id -> drifts.addAll(ledger.reconcile(id)));
            } else {
              try (ProgressBar progress = bar.build()) {
                for (long id : accounts) {
                  drifts.addAll(ledger.reconcile(id));
                  progress.step();
                }
              }
            }
            for (LedgerQueries.Drift d : drifts) {
              out.printf(
                  "DRIFT account %d (person %d): %s: stored %d, recomputed %d%n",
                  d.accountId(), d.personId(), d.what(), d.stored(), d.recomputed());
            }
            out.printf("Reconciled %d accounts: %s%n", accounts.size(), drifts.isEmpty() ? "no drift" : drifts.size() + " drifts");
            return drifts.isEmpty() ? 0 : 3;
          });
    }
  }

  @Command(
      name = "import-points",
      mixinStandardHelpOptions = true,
      description = {
        "Import earned points from a CSV file (UTF-8, a header row): person_id, business_id, points, and optionally reason",
        "and occurred_at (ISO-8601, or 'yyyy-MM-dd HH:mm:ss' in the brand's time zone); rows that name the member by phone",
        "or identifier need OneID, so they go through the console or the API instead. Each row is posted once per",
        "--source and business_id: importing the same file again posts nothing. Bad rows are reported; good rows are posted.",
        "Exit code 0: every row posted or already posted; 3: some rows were bad; 2: the file or options are unusable."
      })
  static final class ImportPoints implements Callable<Integer> {
    @CommandLine.ParentCommand LoyaltyCommand parent;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "FILE", description = "The CSV file")
    Path file;

    @Option(names = "--program", required = true, description = "The loyalty program's code")
    String program;

    @Option(names = "--source", required = true, description = "Where the points come from, e.g. old-crm (1-64 characters)")
    String source;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isReadable(file)) {
        err.println("Cannot read " + file);
        return 2;
      }
      return Jobs.withOltpOnly(
          parent.dataDir(),
          context -> {
            List<EarningImport.Earning> earnings = new ArrayList<>();
            List<String> bad = new ArrayList<>();
            int rows;
            try {
              rows = read(context.getBean(Clock.class), earnings, bad);
            } catch (IOException | UncheckedIOException e) {
              err.println("Cannot read " + file + ": " + e.getMessage());
              return 2;
            } catch (CsvParseException e) {
              err.println("Not a CSV file with a header row: " + e.getMessage());
              return 2;
            }
            EarningImport.Result result;
            try {
              result = context.getBean(EarningImport.class)
                  .runAudited(program, source, earnings, bad.size(), "cli:" + System.getProperty("user.name", "unknown"));
            } catch (PondException e) {
              err.println("Import refused: " + e.getMessage());
              return 2;
            }
            out.printf("Imported %s into %s: %d rows, %d posted, %d already posted, %d bad rows%n", file.getFileName(), program, rows,
                result.posted(), result.replayed(), bad.size());
            bad.stream().limit(20).forEach(b -> err.println("  " + b));
            if (bad.size() > 20) {
              err.printf("  … and %d more%n", bad.size() - 20);
            }
            return bad.isEmpty() ? 0 : 3;
          });
    }

    /** Reads the file's rows: good ones into {@code earnings}, bad ones into {@code bad} as "row N: column: reason"; answers the rows read. */
    private int read(Clock clock, List<EarningImport.Earning> earnings, List<String> bad) throws IOException {
      Instant now = clock.instant();
      int rows = 0;
      try (var csv = CsvReader.builder().skipEmptyLines(true).allowMissingFields(true)
          .ofNamedCsvRecord(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
        for (var r : csv) {
          rows++;
          String row = "row " + r.getStartingLineNumber() + ": ";
          String person = field(r, "person_id", "personId");
          String points = field(r, "points");
          String at = field(r, "occurred_at", "occurredAt");
          String reason = field(r, "reason");
          reason = reason == null || reason.isBlank() ? null : reason;
          String namedBy = Stream.of("phone", "identifier").filter(c -> !isBlank(field(r, c))).findFirst().orElse(null);
          if (isBlank(person) && namedBy != null) {
            bad.add(row + namedBy + ": members named by phone or identifier are resolved by OneID in the running server: import this file in the"
                + " console (会员与积分 → 导入积分) or POST it to /api/v1/loyalty/programs/" + program + "/imports");
            continue;
          }
          Integer personId;
          Long pointsValue;
          Instant occurredAt;
          try {
            personId = person == null || person.isBlank() ? null : Integer.valueOf(person.strip());
          } catch (NumberFormatException e) {
            bad.add(row + "person_id: not a number: " + person);
            continue;
          }
          try {
            pointsValue = points == null || points.isBlank() ? null : Long.valueOf(points.strip());
          } catch (NumberFormatException e) {
            bad.add(row + "points: not a whole number: " + points);
            continue;
          }
          try {
            occurredAt = at == null || at.isBlank() ? null : instant(at.strip(), clock.getZone());
          } catch (DateTimeParseException e) {
            bad.add(row + "occurred_at: not a time (ISO-8601, or yyyy-MM-dd HH:mm:ss): " + at);
            continue;
          }
          String businessId = field(r, "business_id", "businessId");
          PondException fault = EarningImport.check(source, personId, businessId, pointsValue, reason, occurredAt, now);
          if (fault != null) {
            bad.add(row + snake(fault.field()) + ": " + fault.getMessage());
            continue;
          }
          earnings.add(new EarningImport.Earning(new PersonRef(personId), businessId, pointsValue, reason,
              occurredAt == null ? now : occurredAt));
        }
      }
      return rows;
    }

    private static boolean isBlank(String s) {
      return s == null || s.isBlank();
    }

    /** The first of {@code names} the file has, or null. */
    private static String field(NamedCsvRecord r, String... names) {
      for (String name : names) {
        var v = r.findField(name);
        if (v.isPresent()) {
          return v.get();
        }
      }
      return null;
    }

    /** ISO-8601 with an offset, else a local date-time ("yyyy-MM-dd HH:mm:ss" or ISO) in the brand's time zone. */
    private static Instant instant(String text, ZoneId zone) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        return LocalDateTime.parse(text.replace(' ', 'T')).atZone(zone).toInstant();
      }
    }

    /** The CSV column of an API field name. */
    private static String snake(String field) {
      return field.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }
  }
}
