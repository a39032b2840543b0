package io.pond.membercenter.auth;

import io.pond.platform.pii.PiiCipher;
import io.pond.platform.pii.PiiStore;
import java.util.function.LongConsumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sign-in codes under a PII key rotation. They are kept only as keyed hashes of the phone and of
 * phone + code, which cannot be recomputed without the code, and live for minutes: the rotation deletes
 * them (codes sent before it stop working, members ask for a new one; the resend limits start afresh).
 * Running it again deletes nothing more while the server is stopped, as the rotation requires.
 */
@Component
class OneTimeCodesPii implements PiiStore {

  private final JdbcClient jdbc;

  OneTimeCodesPii(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public String name() {
    return "member center sign-in codes";
  }

  @Override
  public long size() {
    return jdbc.sql("SELECT COUNT(*) FROM member_otp").query(Long.class).single();
  }

  @Override
  public long rekey(PiiCipher cipher, int batchSize, LongConsumer progress) {
    long deleted = jdbc.sql("DELETE FROM member_otp").update();
    progress.accept(deleted);
    return deleted;
  }
}
