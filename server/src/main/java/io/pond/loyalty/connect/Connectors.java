package io.pond.loyalty.connect;

import io.pond.loyalty.program.Programs;
import io.pond.platform.errors.PondException;
import io.pond.platform.pii.PiiCipher;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Member-connect connectors: which channel (and shop, or {@code *} for every shop of a webhook
 * channel) a program syncs to, how (kind {@code tmall}, {@code doudian} or {@code webhook}), where
 * ({@code endpoint}) and with which credentials. Secrets and access tokens are needed in clear to sign,
 * so they are stored encrypted with the PII cipher and never answered by the API.
 */
@Component
public class Connectors {

  static final Set<String> KINDS = Set.of("tmall", "doudian", "webhook");

  private final JdbcClient jdbc;
  private final Programs programs;
  private final PiiCipher cipher;
  private final Clock clock;
  private final ConnectOutbox outbox;

  Connectors(JdbcClient jdbc, Programs programs, PiiCipher cipher, Clock clock, ConnectOutbox outbox) {
    this.jdbc = jdbc;
    this.programs = programs;
    this.cipher = cipher;
    this.clock = clock;
    this.outbox = outbox;
  }

  /** A connector with its credentials in clear (never leaves the server). */
  public record Connector(
      long id, long programId, String code, String kind, String channel, String shop, String appKey, String secret, String accessToken,
      String endpoint, boolean enabled) {}

  /** What the API shows: no secret, no token. */
  public record View(String code, String program, String kind, String channel, String shop, String appKey, String endpoint, boolean enabled,
      boolean hasAccessToken) {}

  public record Settings(
      String kind, String channel, String shop, String appKey, String secret, String accessToken, String endpoint, Boolean enabled) {}

  public Connector save(String programCode, String code, Settings s) {
    if (code == null || !code.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw PondException.invalid("code", "1-64 letters, digits, '_', '.', '-'");
    }
    Programs.Program program = programs.get(programCode);
    Optional<Connector> existing = find(code);
    if (existing.isPresent() && existing.get().programId() != program.id()) {
      throw PondException.invalid("code", "connector " + code + " belongs to another program");
    }
    String kind = s.kind() == null && existing.isPresent() ? existing.get().kind() : s.kind();
    if (kind == null || !KINDS.contains(kind)) {
      throw PondException.invalid("kind", "one of tmall, doudian, webhook");
    }
    String channel = s.channel() != null && !s.channel().isBlank() ? s.channel() : kind.equals("webhook") ? null : kind;
    if (channel == null) {
      throw PondException.invalid("channel", "a webhook connector names the channel whose bindings it serves");
    }
    String shop = s.shop();
    if (shop == null || shop.isBlank() || shop.length() > 100 || (shop.equals("*") && !kind.equals("webhook"))) {
      throw PondException.invalid("shop", "1-100 characters; '*' (every shop) only for webhooks");
    }
    String endpoint = s.endpoint() != null ? s.endpoint() : existing.map(Connector::endpoint).orElse(null);
    if (endpoint == null || !(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
      throw PondException.invalid("endpoint", "an http(s) URL");
    }
    try {
      URI.create(endpoint).toURL();
    } catch (IllegalArgumentException | java.net.MalformedURLException e) {
      throw PondException.invalid("endpoint", "not a URL: " + e.getMessage());
    }
    String secret = s.secret() != null ? s.secret() : existing.map(Connector::secret).orElse(null);
    if (secret == null || secret.length() < 8) {
      throw PondException.invalid("secret", "the channel's app secret (or the webhook's signing secret), at least 8 characters");
    }
    if (!kind.equals("webhook") && (s.appKey() == null ? existing.map(Connector::appKey).orElse(null) : s.appKey()) == null) {
      throw PondException.invalid("appKey", "a " + kind + " connector needs the app key");
    }
    String appKey = s.appKey() != null ? s.appKey() : existing.map(Connector::appKey).orElse(null);
    String token = s.accessToken() != null ? s.accessToken() : existing.map(Connector::accessToken).orElse(null);
    boolean enabled = s.enabled() != null ? s.enabled() : existing.map(Connector::enabled).orElse(true);
    Timestamp now = Timestamp.from(clock.instant());
    String secretEnc = cipher.encrypt(secret);
    String tokenEnc = token == null ? null : cipher.encrypt(token);
    if (existing.isPresent()) {
      jdbc.sql(
              "UPDATE loyalty_connector SET kind = ?, channel = ?, shop = ?, app_key = ?, secret = ?, access_token = ?, endpoint = ?, enabled = ?,"
                  + " updated_at = ? WHERE id = ?")
          .params(kind, channel, shop, appKey, secretEnc, tokenEnc, endpoint, enabled, now, existing.get().id())
          .update();
    } else {
      jdbc.sql(
              "INSERT INTO loyalty_connector (program_id, code, kind, channel, shop, app_key, secret, access_token, endpoint, enabled, created_at,"
                  + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(program.id(), code, kind, channel, shop, appKey, secretEnc, tokenEnc, endpoint, enabled, now, now)
          .update();
    }
    Connector saved = find(code).orElseThrow();
    outbox.resync(saved);
    return saved;
  }

  public Optional<Connector> find(String code) {
    return jdbc.sql("SELECT * FROM loyalty_connector WHERE code = ?").param(code).query(this::connector).optional();
  }

  public Connector get(String code) {
    return find(code).orElseThrow(() -> PondException.notFound("connector", code));
  }

  public Connector byId(long id) {
    return jdbc.sql("SELECT * FROM loyalty_connector WHERE id = ?").param(id).query(this::connector).single();
  }

  public List<Connector> list(String programCode) {
    return jdbc.sql("SELECT * FROM loyalty_connector WHERE program_id = ? ORDER BY code").param(programs.get(programCode).id()).query(this::connector).list();
  }

  public View view(Connector c) {
    return new View(c.code(), programs.byId(c.programId()).code(), c.kind(), c.channel(), c.shop(), c.appKey(), c.endpoint(), c.enabled(),
        c.accessToken() != null);
  }

  private Connector connector(ResultSet rs, int n) throws SQLException {
    String token = rs.getString("access_token");
    return new Connector(
        rs.getLong("id"),
        rs.getLong("program_id"),
        rs.getString("code"),
        rs.getString("kind"),
        rs.getString("channel"),
        rs.getString("shop"),
        rs.getString("app_key"),
        cipher.decrypt(rs.getString("secret")),
        token == null ? null : cipher.decrypt(token),
        rs.getString("endpoint"),
        rs.getBoolean("enabled"));
  }
}
