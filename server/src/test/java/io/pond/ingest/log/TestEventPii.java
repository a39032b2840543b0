package io.pond.ingest.log;

import io.pond.ingest.EventEnvelope;
import io.pond.platform.Identifier;
import io.pond.platform.pii.PersonalTraits;
import io.pond.platform.pii.PiiCipher;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** An {@link EventPii} with a fresh key and the default personal keys, for tests outside Spring. */
public final class TestEventPii {

  private TestEventPii() {}

  public static EventPii of(JsonMapper json) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new EventPii(new PiiCipher(key), PersonalTraits.of(PersonalTraits.DEFAULTS), json);
  }

  /** The event's frame without sealing (its JSON columns exactly as the mapper writes them). */
  public static EncodedEvent unsealed(EventEnvelope e, JsonMapper json) {
    long hash = EventLog.hash(e.sourceId(), e.messageId());
    List<Identifier> indexed = new ArrayList<>(e.identifiers());
    if (e.previous() != null) {
      indexed.add(e.previous());
    }
    LogFrames.EventFrame f = LogFrames.event(e, hash, JsonColumns.of(json), indexed);
    return new EncodedEvent(e, hash, f.frame(), f.storedBytes());
  }
}
