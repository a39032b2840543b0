package io.pond.segment.audience;

import io.pond.offer.Audience;
import java.util.function.IntConsumer;
import org.springframework.stereotype.Component;

/**
 * Saved segments as a source of persons for offer's bulk issuance ({@code segment:<code>}). The
 * segment module depends on offer's small {@link Audience} SPI, not the other way round: offer never
 * learns of segments, and segment stays a leaf that other modules do not depend on. A job lists the
 * segment's members once, when it starts (the job writes them down, so a resumed job issues to the
 * same persons even if the segment moved since).
 */
@Component
class SegmentAudience implements Audience {

  private final Segments segments;

  SegmentAudience(Segments segments) {
    this.segments = segments;
  }

  @Override
  public String kind() {
    return "segment";
  }

  @Override
  public boolean exists(String reference) {
    return reference != null && Segments.CODE.matcher(reference).matches() && segments.find(reference).isPresent();
  }

  @Override
  public void persons(String reference, IntConsumer sink) {
    segments.members(reference).forEach((org.roaringbitmap.IntConsumer) sink::accept);
  }
}
