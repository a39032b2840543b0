package io.pond.identity.intake;

import io.pond.identity.Evidence;
import io.pond.identity.LinkKind;
import io.pond.ingest.EventEnvelope;
import io.pond.platform.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** What an event says about identity: the identifiers it carries and how they were linked. */
final class EventEvidence {

  private EventEvidence() {}

  /** Empty for events that carry no identifier (item records). */
  static Optional<Evidence> of(EventEnvelope event) {
    List<Identifier> identifiers = new ArrayList<>(event.identifiers());
    if (event.previous() != null) {
      identifiers.add(event.previous());
    }
    if (identifiers.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Evidence(
            identifiers, kindOf(event.link()), "source:" + event.sourceId(), event.timestamp(), keyOf(event)));
  }

  static LinkKind kindOf(io.pond.ingest.LinkKind link) {
    return switch (link) {
      case TOGETHER -> LinkKind.TOGETHER;
      case ALIAS -> LinkKind.ALIAS;
      case SIGNUP -> LinkKind.SIGNUP;
      case BIND -> LinkKind.BIND;
      case UNBIND -> LinkKind.UNBIND;
    };
  }

  /** One key per stored event (source + message id), so a replayed event changes nothing. */
  static String keyOf(EventEnvelope event) {
    String key = "event:" + event.sourceId() + ":" + event.messageId();
    if (key.length() <= Evidence.MAX_KEY_LENGTH) {
      return key;
    }
    return "event:" + event.sourceId() + ":sha256:" + sha256(key);
  }

  static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
