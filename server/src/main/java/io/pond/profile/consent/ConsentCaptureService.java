package io.pond.profile.consent;

import io.pond.profile.ConsentCapture;
import io.pond.profile.consent.domain.Purpose;
import io.pond.platform.errors.PondException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/** {@link ConsentCapture} over {@link Consents}; the actor is the person themself. */
@Service
class ConsentCaptureService implements ConsentCapture {

  private final Consents consents;
  private final Clock clock;

  ConsentCaptureService(Consents consents, Clock clock) {
    this.consents = consents;
    this.clock = clock;
  }

  @Override
  public void record(int personId, String purpose, boolean granted, String source) {
    Purpose p = Purpose.fromWire(purpose).orElseThrow(() -> PondException.invalid("purpose", "unknown purpose " + purpose));
    consents.record(personId, new Consents.Decision(p, granted, source, null, clock.instant()), "person:" + personId);
  }

  @Override
  public Map<String, Boolean> granted(int personId) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    Consents.granted(consents.current(personId)).forEach((p, g) -> out.put(p.wire(), g));
    return out;
  }
}
