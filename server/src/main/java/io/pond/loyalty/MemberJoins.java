package io.pond.loyalty;

import java.time.Instant;
import java.util.Optional;

/**
 * Joining (入会) for a person whose identity is already proven — signed in to the member center with
 * a one-time code — so no channel member id is needed. The join gift is the program's {@code
 * join_gift} event reward, given once per member whatever the channel.
 */
public interface MemberJoins {

  /** When and where the person joined the program. */
  record Membership(String program, int personId, Instant joinedAt, String joinChannel, String joinShop) {}

  /** What a join did; {@code newMember} false when the person had joined before (then no second gift). */
  record Joined(String program, int personId, boolean newMember, long giftPoints, String giftExplanation) {}

  /** The points a new member of the program receives on joining (0: no join gift configured). */
  long joinGiftPoints(String program);

  /** Empty when the person never joined the program. */
  Optional<Membership> membership(String program, PersonRef person);

  /** Joins the person on {@code channel}/{@code shop} (e.g. {@code member_center}/{@code h5}); idempotent. */
  Joined join(String program, PersonRef person, String channel, String shop);
}
