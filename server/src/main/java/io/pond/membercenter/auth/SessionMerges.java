package io.pond.membercenter.auth;

import io.pond.identity.PersonsMerged;
import io.pond.platform.member.MemberSessions;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Follows OneID: when the signed-in person is merged into another (an order claim links the order's
 * buyer, say), their member sessions continue as the survivor.
 */
@Component
class SessionMerges {

  private final MemberSessions sessions;

  SessionMerges(MemberSessions sessions) {
    this.sessions = sessions;
  }

  @ApplicationModuleListener
  void on(PersonsMerged e) {
    sessions.moveTo(e.merged().value(), e.survivor().value());
  }
}
