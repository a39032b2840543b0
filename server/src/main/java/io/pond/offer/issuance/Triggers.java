package io.pond.offer.issuance;

import io.pond.offer.coupon.Templates;
import io.pond.platform.audit.AuditLog;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Templates issued to every member on an event: {@code join} (入会有礼) or {@code birthday}. */
@Component
public class Triggers {

  public enum Event {
    JOIN,
    BIRTHDAY
  }

  public record Trigger(long id, String event, String templateCode) {}

  private final JdbcClient jdbc;
  private final Templates templates;
  private final AuditLog audit;
  private final Clock clock;

  Triggers(JdbcClient jdbc, Templates templates, AuditLog audit, Clock clock) {
    this.jdbc = jdbc;
    this.templates = templates;
    this.audit = audit;
    this.clock = clock;
  }

  @Transactional
  public Trigger add(String event, String templateCode, String actor) {
    Event e = parse(event);
    if (templateCode == null || templates.findByCode(templateCode).isEmpty()) {
      throw PondException.invalid("templateCode", "no coupon template " + templateCode);
    }
    int added = jdbc.sql("INSERT INTO offer_trigger (event, template_code, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        .params(e.name(), templateCode, Timestamp.from(clock.instant()))
        .update();
    if (added == 0) {
      throw new PondException(ErrorCode.CONFLICT, templateCode + " is already issued on " + event, "templateCode");
    }
    audit.record(actor, "offer.trigger.add", "template:" + templateCode, e.name());
    return list().stream().filter(t -> t.event().equals(e.name()) && t.templateCode().equals(templateCode)).findFirst().orElseThrow();
  }

  @Transactional
  public void remove(long id, String actor) {
    if (jdbc.sql("DELETE FROM offer_trigger WHERE id = ?").param(id).update() == 0) {
      throw PondException.notFound("trigger", id);
    }
    audit.record(actor, "offer.trigger.remove", "trigger:" + id, null);
  }

  public List<Trigger> list() {
    return jdbc.sql("SELECT id, event, template_code FROM offer_trigger ORDER BY id").query((rs, n) -> new Trigger(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
  }

  public List<String> templates(Event event) {
    return jdbc.sql("SELECT template_code FROM offer_trigger WHERE event = ? ORDER BY id").param(event.name()).query(String.class).list();
  }

  private static Event parse(String event) {
    try {
      return Event.valueOf(event == null ? "" : event.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw PondException.invalid("event", "must be join or birthday");
    }
  }
}
