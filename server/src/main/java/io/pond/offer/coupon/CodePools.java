package io.pond.offer.coupon;

import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.PondException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imported external codes (a platform's or a partner's coupon codes) for a {@code pool} template: a
 * CSV whose first column is the code (a header {@code code} is skipped). Codes already in the pool or
 * repeated in the file are skipped, malformed ones reported by line; the rest are appended, and the
 * template's stock grows by as many.
 */
@Component
public class CodePools {

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{4,64}");
  private static final int MAX_REPORTED = 100;

  private final JdbcClient jdbc;
  private final Templates templates;
  private final Claims claims;
  private final AuditLog audit;

  CodePools(JdbcClient jdbc, Templates templates, Claims claims, AuditLog audit) {
    this.jdbc = jdbc;
    this.templates = templates;
    this.claims = claims;
    this.audit = audit;
  }

  public record Rejected(int line, String reason) {}

  public record Result(int added, int duplicates, int rejectedCount, List<Rejected> rejected, long totalStock) {}

  @Transactional
  public Result importCsv(String templateCode, InputStream csv, String actor) {
    Templates.Template t = templates.byCode(templateCode);
    if (!t.pool()) {
      throw PondException.invalid("template", "template " + templateCode + " generates its codes; create it with codeSource pool to import codes");
    }
    // lock the template row: two imports must not hand out the same serials
    jdbc.sql("UPDATE offer_template SET total_stock = total_stock WHERE id = ?").param(t.id()).update();
    Set<String> existing = new HashSet<>(jdbc.sql("SELECT code FROM offer_external_code WHERE template_id = ?").param(t.id()).query(String.class).list());
    long serial = jdbc.sql("SELECT COALESCE(MAX(serial), 0) FROM offer_external_code WHERE template_id = ?").param(t.id()).query(Long.class).single();
    List<Rejected> rejected = new ArrayList<>();
    int rejectedCount = 0;
    int duplicates = 0;
    int added = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(csv, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        String code = firstField(line);
        if (code.isEmpty() || number == 1 && code.equalsIgnoreCase("code")) {
          continue;
        }
        if (!CODE.matcher(code).matches()) {
          rejectedCount++;
          if (rejected.size() < MAX_REPORTED) {
            rejected.add(new Rejected(number, "a code is 4-64 letters, digits, '_' or '-'"));
          }
          continue;
        }
        if (!existing.add(code)) {
          duplicates++;
          continue;
        }
        serial++;
        jdbc.sql("INSERT INTO offer_external_code (template_id, serial, code) VALUES (?, ?, ?)").params(t.id(), serial, code).update();
        added++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    jdbc.sql("UPDATE offer_template SET total_stock = ? WHERE id = ?").params(serial, t.id()).update();
    audit.record(actor, "offer.codes.import", "template:" + templateCode, added + " codes added, " + duplicates + " duplicates, " + rejectedCount + " rejected");
    claims.changed(t.id());
    return new Result(added, duplicates, rejectedCount, rejected, serial);
  }

  private static String firstField(String line) {
    String s = line.strip();
    if (s.startsWith("\uFEFF")) {
      s = s.substring(1);
    }
    int comma = s.indexOf(',');
    if (comma >= 0) {
      s = s.substring(0, comma);
    }
    s = s.strip();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1).strip();
    }
    return s;
  }
}
