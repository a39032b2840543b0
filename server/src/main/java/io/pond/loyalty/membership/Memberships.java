package io.pond.loyalty.membership;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.identity.Resolution;
import io.pond.identity.ResolvingIdentity;
import io.pond.loyalty.MemberBound;
import io.pond.loyalty.MemberJoined;
import io.pond.loyalty.MemberUnbound;
import io.pond.loyalty.PersonRef;
import io.pond.loyalty.ledger.PointsLedger;
import io.pond.loyalty.membership.domain.ChannelIdentities;
import io.pond.loyalty.program.Programs;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.pii.PiiCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Joining (入会) on any channel. A join names the channel, its shop (or appid/appkey) and the
 * channel's member id, and the phone when the member gave it; OneID resolves them to one person, so a
 * person joining on Tmall and then on Douyin is one member with two bindings. The join gift is the
 * program's {@code join_gift} event reward, keyed per member: a second join, from any channel, finds
 * the first gift and gives nothing. Every change runs with the member's loyalty account locked, so
 * concurrent joins of one person are serial.
 */
@Component
public class Memberships {

  static final String JOIN_GIFT = "join_gift";

  private final JdbcClient jdbc;
  private final PointsLedger ledger;
  private final Programs programs;
  private final ResolvingIdentity identity;
  private final Clock clock;
  private final ApplicationEventPublisher events;
  private final PiiCipher cipher;

  Memberships(
      JdbcClient jdbc, PointsLedger ledger, Programs programs, ResolvingIdentity identity, Clock clock, ApplicationEventPublisher events,
      PiiCipher cipher) {
    this.jdbc = jdbc;
    this.ledger = ledger;
    this.programs = programs;
    this.identity = identity;
    this.clock = clock;
    this.events = events;
    this.cipher = cipher;
  }

  /** A join request from a channel; {@code identifierType} only when the channel has no default (see {@link ChannelIdentities}). */
  public record Join(
      String program, String channel, String shop, String channelMemberId, String identifierType, String phone, String unionid) {}

  /** What a join did: {@code newMember} the first join of this person, {@code newBinding} a binding made (or made again). */
  public record Joined(int personId, boolean newMember, long bindingId, boolean newBinding, long giftPoints, String giftExplanation) {}

  public record Binding(
      long id, int personId, String channel, String shop, String channelMemberId, String state, Instant boundAt, Instant unboundAt, String unbindReason) {}

  public record Member(int personId, Instant joinedAt, String joinChannel, String joinShop, List<Binding> bindings) {}

  public Joined join(Join join) {
    String channel = required(join.channel(), "channel", 32);
    String shop = required(join.shop(), "shop", 100);
    String memberId = required(join.channelMemberId(), "channelMemberId", 200);
    Programs.Program program = programs.get(join.program());
    String type =
        ChannelIdentities.typeOf(channel, join.identifierType())
            .orElseThrow(() -> PondException.invalid("identifierType", "channel " + channel + " has no default member id type; name one"));
    List<Identifier> identifiers = new ArrayList<>();
    identifiers.add(ChannelIdentities.identifier(type, shop, memberId));
    if (join.phone() != null && !join.phone().isBlank()) {
      identifiers.add(Identifier.global(Identifier.PHONE, join.phone().trim()));
    }
    if (join.unionid() != null && !join.unionid().isBlank()) {
      identifiers.add(Identifier.global(Identifier.WECHAT_UNIONID, join.unionid().trim()));
    }
    Instant at = clock.instant();
    Resolution resolution =
        identity.resolve(
            new Evidence(identifiers, LinkKind.TOGETHER, "loyalty.join", at,
                // keyed: the key holds the phone, which an unkeyed hash would give away to anyone trying every number
                "loyalty-join:" + cipher.keyedHash(program.code() + "|" + channel + "|" + shop + "|" + memberId + "|" + join.phone() + "|" + join.unionid())));
    if (resolution.person().isEmpty()) {
      String why = resolution.refused().stream().map(r -> r.identifier().type() + ": " + r.reason()).collect(Collectors.joining(", "));
      throw PondException.invalid("channelMemberId", "no usable identifier to join with" + (why.isEmpty() ? "" : " (" + why + ")"));
    }
    PersonRef person = new PersonRef(resolution.person().get().value());
    return ledger.withAccount(program.code(), person, true, locked -> joinLocked(program, person, channel, shop, memberId, locked.now()));
  }

  /**
   * A person whose identity is already proven (signed in to the member center with a one-time code)
   * joins where they are, {@code channel}/{@code shop}: no channel member id, so no binding and no
   * identity resolution. The join gift is the same, once per member.
   */
  public Joined joinKnown(String programCode, PersonRef person, String channel, String shop) {
    String ch = required(channel, "channel", 32);
    String sh = required(shop, "shop", 100);
    if (person.value() <= 0) {
      throw PondException.invalid("personId", "must be positive");
    }
    Programs.Program program = programs.get(programCode);
    return ledger.withAccount(
        program.code(),
        person,
        true,
        locked -> {
          boolean newMember = becomeMember(program, person, ch, sh, locked.now());
          Gift gift = joinGift(program, person, locked.now());
          return new Joined(person.value(), newMember, 0, false, gift.points(), gift.explanation());
        });
  }

  private boolean becomeMember(Programs.Program program, PersonRef person, String channel, String shop, Instant now) {
    boolean newMember = member(program.id(), person.value()).isEmpty();
    if (newMember) {
      jdbc.sql("INSERT INTO loyalty_member (program_id, person_id, joined_at, join_channel, join_shop) VALUES (?, ?, ?, ?, ?)")
          .params(program.id(), person.value(), Timestamp.from(now), channel, shop)
          .update();
      events.publishEvent(new MemberJoined(program.code(), person, channel, shop, now));
    }
    return newMember;
  }

  private record Gift(long points, String explanation) {}

  private Gift joinGift(Programs.Program program, PersonRef person, Instant now) {
    PointsLedger.Outcome gift =
        ledger.earnEvent(program.code(), person, JOIN_GIFT, new PointsLedger.Key("loyalty", JOIN_GIFT, "join"), now);
    long giftPoints = gift instanceof PointsLedger.Outcome.Posted p && !p.replayed() ? p.points() : 0;
    String giftExplanation =
        switch (gift) {
          case PointsLedger.Outcome.Posted p when p.replayed() -> "join gift already given (entry " + p.entryId() + ")";
          case PointsLedger.Outcome.Posted p -> p.explanation();
          case PointsLedger.Outcome.Rejected r -> r.detail();
        };
    return new Gift(giftPoints, giftExplanation);
  }

  private Joined joinLocked(Programs.Program program, PersonRef person, String channel, String shop, String memberId, Instant now) {
    boolean newMember = becomeMember(program, person, channel, shop, now);
    Optional<Binding> existing = binding(program.id(), channel, shop, memberId);
    long bindingId;
    boolean newBinding;
    if (existing.isPresent() && existing.get().state().equals("BOUND")) {
      if (existing.get().personId() != person.value()) {
        throw new PondException(ErrorCode.CONFLICT, "member id " + memberId + " on " + channel + "/" + shop + " is bound to another member", "channelMemberId");
      }
      bindingId = existing.get().id();
      newBinding = false;
    } else {
      requireNoOtherBinding(program.id(), person.value(), channel, shop, memberId);
      if (existing.isPresent()) {
        bindingId = existing.get().id();
        jdbc.sql("UPDATE loyalty_binding SET state = 'BOUND', person_id = ?, bound_at = ?, unbound_at = NULL, unbind_reason = NULL WHERE id = ?")
            .params(person.value(), Timestamp.from(now), bindingId)
            .update();
      } else {
        org.springframework.jdbc.support.GeneratedKeyHolder keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql(
                "INSERT INTO loyalty_binding (program_id, person_id, channel, shop, channel_member_id, state, bound_at, enqueued_seq)"
                    + " VALUES (?, ?, ?, ?, ?, 'BOUND', ?, 0)")
            .params(program.id(), person.value(), channel, shop, memberId, Timestamp.from(now))
            .update(keys, "id");
        bindingId = keys.getKeyAs(Long.class);
      }
      newBinding = true;
      events.publishEvent(new MemberBound(program.code(), person, bindingId, channel, shop, memberId, now));
    }
    Gift gift = joinGift(program, person, now);
    return new Joined(person.value(), newMember, bindingId, newBinding, gift.points(), gift.explanation());
  }

  /** One binding per channel and shop: a member already bound there under another id must be unbound first. */
  private void requireNoOtherBinding(long programId, int personId, String channel, String shop, String memberId) {
    List<String> others =
        jdbc.sql(
                "SELECT channel_member_id FROM loyalty_binding WHERE program_id = ? AND person_id = ? AND channel = ? AND shop = ?"
                    + " AND state = 'BOUND' AND channel_member_id <> ?")
            .params(programId, personId, channel, shop, memberId)
            .query(String.class)
            .list();
    if (!others.isEmpty()) {
      throw new PondException(
          ErrorCode.CONFLICT, "the member is already bound on " + channel + "/" + shop + " as " + others.getFirst() + "; unbind it first", "channelMemberId");
    }
  }

  /** Releases a binding (idempotent: an unbound binding stays as it is). */
  public Binding unbind(String programCode, long bindingId, String reason, String actor) {
    Programs.Program program = programs.get(programCode);
    Binding found =
        bindingById(program.id(), bindingId).orElseThrow(() -> PondException.notFound("binding", Long.toString(bindingId)));
    PersonRef person = new PersonRef(found.personId());
    return ledger.withAccount(
        program.code(),
        person,
        true,
        locked -> {
          Binding current = bindingById(program.id(), bindingId).orElseThrow();
          if (current.state().equals("UNBOUND")) {
            return current;
          }
          String why = reason == null || reason.isBlank() ? "unbound by " + actor : reason;
          jdbc.sql("UPDATE loyalty_binding SET state = 'UNBOUND', unbound_at = ?, unbind_reason = ? WHERE id = ?")
              .params(Timestamp.from(locked.now()), cut(why), bindingId)
              .update();
          events.publishEvent(
              new MemberUnbound(program.code(), person, bindingId, current.channel(), current.shop(), current.channelMemberId(), why, locked.now()));
          return bindingById(program.id(), bindingId).orElseThrow();
        });
  }

  public Optional<Member> member(String programCode, int personId) {
    Programs.Program program = programs.get(programCode);
    return member(program.id(), personId)
        .map(
            m ->
                new Member(
                    personId, m.joinedAt(), m.joinChannel(), m.joinShop(),
                    jdbc.sql("SELECT * FROM loyalty_binding WHERE program_id = ? AND person_id = ? ORDER BY id")
                        .params(program.id(), personId)
                        .query(Memberships::binding)
                        .list()));
  }

  /** The binding of a channel's member id, bound or not. */
  public Optional<Binding> binding(String programCode, String channel, String shop, String channelMemberId) {
    return binding(programs.get(programCode).id(), channel, shop, channelMemberId);
  }

  private record MemberRow(Instant joinedAt, String joinChannel, String joinShop) {}

  private Optional<MemberRow> member(long programId, int personId) {
    return jdbc.sql("SELECT joined_at, join_channel, join_shop FROM loyalty_member WHERE program_id = ? AND person_id = ?")
        .params(programId, personId)
        .query((rs, n) -> new MemberRow(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3)))
        .optional();
  }

  private Optional<Binding> binding(long programId, String channel, String shop, String memberId) {
    return jdbc.sql("SELECT * FROM loyalty_binding WHERE program_id = ? AND channel = ? AND shop = ? AND channel_member_id = ?")
        .params(programId, channel, shop, memberId)
        .query(Memberships::binding)
        .optional();
  }

  private Optional<Binding> bindingById(long programId, long id) {
    return jdbc.sql("SELECT * FROM loyalty_binding WHERE program_id = ? AND id = ?").params(programId, id).query(Memberships::binding).optional();
  }

  static Binding binding(ResultSet rs, int n) throws SQLException {
    Timestamp unbound = rs.getTimestamp("unbound_at");
    return new Binding(
        rs.getLong("id"),
        rs.getInt("person_id"),
        rs.getString("channel"),
        rs.getString("shop"),
        rs.getString("channel_member_id"),
        rs.getString("state"),
        rs.getTimestamp("bound_at").toInstant(),
        unbound == null ? null : unbound.toInstant(),
        rs.getString("unbind_reason"));
  }

  private static String required(String value, String field, int max) {
    if (value == null || value.isBlank() || value.length() > max) {
      throw PondException.invalid(field, "must be 1-" + max + " characters");
    }
    return value.trim();
  }

  private static String cut(String text) {
    return text.length() <= 500 ? text : text.substring(0, 497) + "…";
  }
}
