package io.pond.membercenter.auth;

import io.pond.membercenter.auth.domain.CodePolicy;
import io.pond.membercenter.auth.domain.MobileNumber;
import io.pond.messaging.Messages;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.pii.PiiCipher;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * One-time sign-in codes: six random digits sent by SMS through the outbox, stored only as a keyed
 * hash bound to the phone, used once. See {@link CodePolicy} for the limits.
 */
@Service
class OneTimeCodes {

  private final JdbcClient jdbc;
  private final Messages messages;
  private final PiiCipher cipher;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  OneTimeCodes(JdbcClient jdbc, Messages messages, PiiCipher cipher, Clock clock) {
    this.jdbc = jdbc;
    this.messages = messages;
    this.cipher = cipher;
    this.clock = clock;
  }

  record Issued(Instant expiresAt, long resendAfterSeconds) {}

  @Transactional
  Issued issue(MobileNumber phone) {
    Instant now = clock.instant();
    String phoneHash = cipher.keyedHash(phone.e164());
    List<Instant> recent = jdbc.sql("SELECT created_at FROM member_otp WHERE phone_hash = ? AND created_at > ? ORDER BY created_at DESC")
        .params(phoneHash, Timestamp.from(now.minus(Duration.ofDays(1))))
        .query((rs, n) -> rs.getTimestamp(1).toInstant())
        .list();
    CodePolicy.Wait wait = CodePolicy.mayIssue(recent, now);
    if (wait != null) {
      throw new TooSoonException("No new code for " + phone.masked() + " yet: " + wait.reason() + ".", wait.seconds());
    }
    String code = String.format("%06d", random.nextInt(1_000_000));
    Instant expiresAt = now.plus(CodePolicy.TTL);
    jdbc.sql("UPDATE member_otp SET used_at = ? WHERE phone_hash = ? AND used_at IS NULL").params(Timestamp.from(now), phoneHash).update();
    jdbc.sql("INSERT INTO member_otp (phone_hash, code_hash, created_at, expires_at, attempts) VALUES (?, ?, ?, ?, 0)")
        .params(phoneHash, cipher.keyedHash(phone.e164() + ":" + code), Timestamp.from(now), Timestamp.from(expiresAt))
        .update();
    messages.send(new Messages.Outgoing("sms", new Identifier("phone", "", phone.e164()), "member_sign_in_code",
        "【鱼塘】您的登录验证码是 " + code + "，" + CodePolicy.TTL.toMinutes() + " 分钟内有效。请勿告诉他人。", true));
    jdbc.sql("DELETE FROM member_otp WHERE created_at < ?").param(Timestamp.from(now.minus(Duration.ofDays(2)))).update();
    return new Issued(expiresAt, CodePolicy.RESEND_AFTER.toSeconds());
  }

  /** Uses the phone's live code; a wrong try counts (in its own transaction, so the count survives the refusal). */
  @Transactional(noRollbackFor = PondException.class)
  void verify(MobileNumber phone, String code) {
    Instant now = clock.instant();
    String phoneHash = cipher.keyedHash(phone.e164());
    record Live(long id, String codeHash, Instant expiresAt, int attempts) {}
    Live live = jdbc.sql("SELECT id, code_hash, expires_at, attempts FROM member_otp WHERE phone_hash = ? AND used_at IS NULL ORDER BY id DESC")
        .param(phoneHash)
        .query((rs, n) -> new Live(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getInt(4)))
        .list().stream().findFirst()
        .orElseThrow(() -> new PondException(ErrorCode.CODE_EXPIRED, "No live code for this phone: ask for a new one.", "code"));
    if (!now.isBefore(live.expiresAt())) {
      throw new PondException(ErrorCode.CODE_EXPIRED, "The code has expired: ask for a new one.", "code");
    }
    boolean right = code != null && code.matches("\\d{6}") && cipher.keyedHash(phone.e164() + ":" + code).equals(live.codeHash());
    if (!right) {
      int attempts = live.attempts() + 1;
      jdbc.sql("UPDATE member_otp SET attempts = ?, used_at = ? WHERE id = ?")
          .params(attempts, attempts >= CodePolicy.MAX_ATTEMPTS ? Timestamp.from(now) : null, live.id())
          .update();
      throw new PondException(ErrorCode.CODE_INVALID, attempts >= CodePolicy.MAX_ATTEMPTS
          ? "Wrong code, and too many tries: ask for a new one." : "Wrong code.", "code");
    }
    int used = jdbc.sql("UPDATE member_otp SET used_at = ? WHERE id = ? AND used_at IS NULL").params(Timestamp.from(now), live.id()).update();
    if (used == 0) {
      throw new PondException(ErrorCode.CODE_EXPIRED, "The code was already used: ask for a new one.", "code");
    }
  }
}
