package io.pond.loyalty.connect;

import io.pond.identity.Persons;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.connect.domain.Signatures;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.membership.Memberships;
import io.pond.loyalty.program.Programs;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The Tmall brand member-connect (品牌会员通) endpoints Tmall calls on Pond (SPI): bind query, bind,
 * register and activate, each signed TOP-style with the connector's app secret, JSON body in, JSON
 * out. Once connected, Tmall keeps no points rules: its point changes arrive as {@code
 * tmall_mei_PointChange} messages, are applied to the ledger (idempotent on {@code record_id}) and
 * answered through the outbox with {@code tmall.mei.crm.callback.point.change}.
 */
@Component
class TmallMemberConnect {

  static final String BIND_QUERY = "tmall.mei.crm.member.bind.query";
  static final String BIND = "tmall.mei.crm.bind";
  static final String REGISTER = "tmall.mei.crm.member.register";
  static final String ACTIVATE = "qimen.alibaba.member.activate";
  static final String POINT_CHANGE = "tmall_mei_PointChange";

  private final Connectors connectors;
  private final Memberships memberships;
  private final Programs programs;
  private final PointsLedger ledger;
  private final Persons persons;
  private final ConnectOutbox outbox;
  private final JdbcClient jdbc;
  private final TransactionTemplate tx;

  TmallMemberConnect(
      Connectors connectors, Memberships memberships, Programs programs, PointsLedger ledger, Persons persons, ConnectOutbox outbox, JdbcClient jdbc,
      PlatformTransactionManager transactions) {
    this.connectors = connectors;
    this.memberships = memberships;
    this.programs = programs;
    this.ledger = ledger;
    this.persons = persons;
    this.outbox = outbox;
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(transactions);
  }

  /** Checks the TOP signature of a call (query parameters + body) with the connector's secret. */
  Connectors.Connector authenticate(String connectorCode, Map<String, String> query, String body) {
    Connectors.Connector c = connectors.find(connectorCode).filter(x -> x.kind().equals("tmall") && x.enabled())
        .orElseThrow(() -> PondException.notFound("tmall connector", connectorCode));
    String expected;
    try {
      expected = Signatures.top(query, body, c.secret(), query.get("sign_method"));
    } catch (IllegalArgumentException e) {
      throw PondException.invalid("sign_method", e.getMessage());
    }
    if (!Signatures.matches(query.get("sign"), expected)) {
      throw new PondException(ErrorCode.INVALID_CREDENTIALS, "the call's sign does not match the connector's app secret", "sign");
    }
    return c;
  }

  /** An SPI call: {@code method} names which one. */
  Map<String, Object> call(Connectors.Connector c, String method, String body) {
    JsonNode request = parse(body);
    return switch (method == null ? "" : method) {
      case BIND_QUERY -> bindQuery(c, request);
      case BIND -> join(c, request, "bind_code");
      case REGISTER -> join(c, request, "register_code");
      case ACTIVATE -> join(c, request, "activate_code");
      default -> throw PondException.invalid("method", "not a member-connect method Pond serves: " + method);
    };
  }

  private Map<String, Object> bindQuery(Connectors.Connector c, JsonNode r) {
    String program = programs.byId(c.programId()).code();
    String nick = text(r, "nick");
    String mobile = text(r, "mobile");
    Optional<Memberships.Binding> bound = memberId(r).flatMap(id -> memberships.binding(program, "tmall", c.shop(), id)).filter(b -> b.state().equals("BOUND"));
    if (bound.isPresent()) {
      return answer("query_code", "SUC", c, bound.get().personId(), nick, mobile);
    }
    if (mobile != null) {
      Optional<Integer> person = persons.personOf(Identifier.global(Identifier.PHONE, mobile)).map(p -> p.value());
      Optional<Memberships.Member> member = person.flatMap(p -> memberships.member(program, p));
      if (member.isPresent()) {
        boolean boundHere = member.get().bindings().stream().anyMatch(b -> b.channel().equals("tmall") && b.shop().equals(c.shop()) && b.state().equals("BOUND"));
        return answer("query_code", boundHere ? "SUC" : "E02", c, member.get().personId(), nick, mobile);
      }
    }
    return answer("query_code", "E01", c, null, nick, mobile);
  }

  private Map<String, Object> join(Connectors.Connector c, JsonNode r, String codeField) {
    String program = programs.byId(c.programId()).code();
    Optional<String> memberId = memberId(r);
    if (memberId.isEmpty()) {
      return answer(codeField, "E03", c, null, text(r, "nick"), text(r, "mobile"));
    }
    Memberships.Joined joined =
        memberships.join(new Memberships.Join(program, "tmall", c.shop(), memberId.get(), null, text(r, "mobile"), null));
    return answer(codeField, "SUC", c, joined.personId(), text(r, "nick"), text(r, "mobile"));
  }

  /** {@code query_code}/{@code bind_code}… and {@code member{point, level, nick, mobile, extend}}: every field present. */
  private Map<String, Object> answer(String codeField, String code, Connectors.Connector c, Integer personId, String nick, String mobile) {
    long point = 0;
    int level = 0;
    if (personId != null) {
      record State(long available, int tier) {}
      Optional<State> s =
          jdbc.sql("SELECT available, tier FROM loyalty_account WHERE program_id = ? AND person_id = ?")
              .params(c.programId(), personId)
              .query((rs, n) -> new State(rs.getLong(1), rs.getInt(2)))
              .optional();
      point = s.map(x -> Math.max(0, x.available())).orElse(0L);
      level = s.map(State::tier).orElse(0);
    }
    Map<String, Object> member = new LinkedHashMap<>();
    member.put("point", point);
    member.put("level", level);
    member.put("nick", nick == null ? "" : nick);
    member.put("mobile", mobile == null ? "" : mobile);
    member.put("extend", "");
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(codeField, code);
    out.put("member", member);
    return out;
  }

  /** The result of one point-change message. */
  record PointChangeResult(String recordId, boolean result, long point, String errorCode) {}

  /**
   * A {@code tmall_mei_PointChange} message: {@code {topic, content}} where content (an object, or JSON
   * in a string as TMC delivers it) has {@code record_id}, {@code ouid} (or {@code open_id}), {@code
   * point} (signed change) and an optional {@code desc}. Applied once per record id; the callback is
   * queued in the same transaction.
   */
  PointChangeResult pointChange(Connectors.Connector c, String body) {
    JsonNode message = parse(body);
    if (!POINT_CHANGE.equals(text(message, "topic"))) {
      throw PondException.invalid("topic", "expected " + POINT_CHANGE);
    }
    JsonNode content = message.get("content");
    if (content != null && content.isString()) {
      content = parse(content.asString());
    }
    if (content == null || !content.isObject()) {
      throw PondException.invalid("content", "the message has no content");
    }
    String recordId = text(content, "record_id");
    if (recordId == null) {
      throw PondException.invalid("content.record_id", "required");
    }
    JsonNode pointNode = content.get("point");
    if (pointNode == null || !pointNode.canConvertToLong() && !pointNode.asString().matches("-?\\d+")) {
      throw PondException.invalid("content.point", "a whole number of points (negative to take)");
    }
    long delta = pointNode.isNumber() ? pointNode.asLong() : Long.parseLong(pointNode.asString());
    String desc = text(content, "desc");
    String program = programs.byId(c.programId()).code();
    Optional<Memberships.Binding> binding =
        memberId(content).flatMap(id -> memberships.binding(program, "tmall", c.shop(), id)).filter(b -> b.state().equals("BOUND"));
    return tx.execute(
        s -> {
          if (binding.isEmpty() || delta == 0) {
            String error = binding.isEmpty() ? "MEMBER_NOT_BOUND" : "ZERO_POINTS";
            outbox.enqueueCallback(c.id(), null, recordId, false, 0, error);
            return new PointChangeResult(recordId, false, 0, error);
          }
          PersonRef person = new PersonRef(binding.get().personId());
          PointsLedger.Key key = new PointsLedger.Key("tmall", "point_change", recordId);
          String reason = "Tmall point change " + recordId + (desc == null ? "" : ": " + desc);
          PointsLedger.Outcome outcome =
              delta > 0 ? ledger.adjust(program, person, key, delta, reason, "tmall") : ledger.redeem(program, person, key, -delta, reason, "tmall");
          long after =
              jdbc.sql("SELECT available FROM loyalty_account WHERE program_id = ? AND person_id = ?")
                  .params(c.programId(), person.value())
                  .query(Long.class)
                  .single();
          boolean ok = outcome instanceof PointsLedger.Outcome.Posted;
          String error = outcome instanceof PointsLedger.Outcome.Rejected r ? r.reason().toUpperCase(java.util.Locale.ROOT) : null;
          outbox.enqueueCallback(c.id(), binding.get().id(), recordId, ok, Math.max(0, after), error);
          return new PointChangeResult(recordId, ok, Math.max(0, after), error);
        });
  }

  private static Optional<String> memberId(JsonNode r) {
    for (String field : new String[] {"ouid", "open_id", "union_id"}) {
      String value = text(r, field);
      if (value != null) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    String text = value.asString();
    return text.isBlank() ? null : text.trim();
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = ChannelRequests.JSON.readTree(body == null || body.isBlank() ? "{}" : body);
      if (!node.isObject()) {
        throw PondException.invalid("body", "a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new PondException(ErrorCode.MALFORMED_REQUEST, "the body is not JSON", "body");
    }
  }
}
