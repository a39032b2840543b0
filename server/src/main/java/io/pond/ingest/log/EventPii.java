package io.pond.ingest.log;

import io.pond.ingest.EventEnvelope;
import io.pond.ingest.envelope.domain.IdentifierNames;
import io.pond.platform.Identifier;
import io.pond.platform.PhoneNumbers;
import io.pond.platform.pii.PersonalTraits;
import io.pond.platform.pii.PiiCipher;
import io.pond.platform.pii.SealedDocuments;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Personal data in the event log, sealed at rest (see docs/ingest.md#personal-data).
 *
 * <p>Before an event is written to the log, the values of personal identifiers (phone, e-mail) and
 * the values under personal keys ({@link PersonalTraits}, {@code pond.profile.pii-traits}) at any depth
 * of its properties and traits and of {@code context.traits}, and the ids of personal
 * {@code context.externalIds}, are sealed with {@link PiiCipher};
 * the identifier index ({@code event_identifier}) holds the keyed hash ({@code h:…}) of a personal
 * identifier instead of its value. Reading the log ({@link EventLog#map}) opens them again, so
 * consumers and queries see the event as it came. A dead letter's raw record is sealed whole. Values
 * stored before sealing are read as they are and sealed by the next key rotation ({@link EventLogPii}).
 */
@Component
public class EventPii {

  static final String HASHED = "h:";
  /** A non-text value (a number, an address object) is sealed as this prefix and its JSON. */
  private static final String JSON_VALUE = "\u0000json:";
  /** {@link PiiCipher}'s ciphertext: a key id, a colon, base64 of at least IV and tag. */
  private static final Pattern SEALED = Pattern.compile("[0-9a-f]{8}:[A-Za-z0-9+/]{38,}={0,2}");

  private final PiiCipher cipher;
  private final PersonalTraits personalKeys;
  private final JsonMapper json;

  @Autowired
  EventPii(PiiCipher cipher, Environment environment, JsonMapper json) {
    this(cipher, PersonalTraits.of(environment), json);
  }

  EventPii(PiiCipher cipher, PersonalTraits personalKeys, JsonMapper json) {
    this.cipher = cipher;
    this.personalKeys = personalKeys;
    this.json = json;
  }

  /** An event as the log stores it, and its identifiers (actor, then previous) as the index stores them. */
  record Sealed(EventEnvelope envelope, List<Identifier> indexed) {}

  Sealed seal(EventEnvelope e) {
    List<Identifier> indexed = new ArrayList<>(e.identifiers().size() + 1);
    e.identifiers().forEach(id -> indexed.add(indexed(id, cipher)));
    if (e.previous() != null) {
      indexed.add(indexed(e.previous(), cipher));
    }
    return new Sealed(rewritten(e, id -> sealed(id, cipher), v -> v == null ? null : sealValue(v, cipher, false)), indexed);
  }

  /** The event as it came: sealed values opened (values stored before sealing are as they are). */
  EventEnvelope open(EventEnvelope e) {
    return rewritten(e, this::opened, this::openValue);
  }

  /**
   * The event as a caller without the right to see personal data is shown it: personal identifiers
   * and the values under personal keys masked ({@link PiiCipher#mask}; a value that is no text {@code ***}).
   */
  public EventEnvelope masked(EventEnvelope e) {
    return rewritten(e, Identifier::masked, v -> v == null ? null : v instanceof String s ? PiiCipher.mask(s) : "***");
  }

  /**
   * The event with {@code ids} applied to its personal identifiers and {@code values} to its personal
   * values ({@link #rewriteKeys}, {@link #rewriteContext}); {@code e} itself when it has none.
   */
  private EventEnvelope rewritten(EventEnvelope e, UnaryOperator<Identifier> ids, UnaryOperator<Object> values) {
    boolean personal = e.identifiers().stream().anyMatch(Identifier::personalData)
        || (e.previous() != null && e.previous().personalData());
    Map<String, Object> properties = rewriteKeys(e.properties(), values);
    Map<String, Object> traits = rewriteKeys(e.traits(), values);
    Map<String, Object> context = rewriteContext(e.context(), values);
    if (!personal && properties == e.properties() && traits == e.traits() && context == e.context()) {
      return e;
    }
    UnaryOperator<Identifier> personalIds = id -> id.personalData() ? ids.apply(id) : id;
    return new EventEnvelope(e.offset(), e.sourceId(), e.messageId(), e.protocol(), e.type(), e.event(),
        e.timestamp(), e.receivedAt(), e.identifiers().stream().map(personalIds).toList(), e.link(),
        e.previous() == null ? null : personalIds.apply(e.previous()), properties, traits, context);
  }

  /**
   * The index rows an identifier may be stored as: a personal one under its keyed hash by every key
   * of the ring, and as it is (stored before sealing); any other as it is. The log keeps a phone as the
   * client wrote it, so a phone is looked for in each of its common spellings ({@code +86…}, the 11
   * digits, {@code 86…}).
   */
  public List<Identifier> storedFormsOf(Collection<Identifier> identifiers) {
    Set<Identifier> out = new LinkedHashSet<>();
    for (Identifier id : identifiers) {
      for (Identifier spelled : PhoneNumbers.withSpellings(List.of(id))) {
        if (spelled.personalData()) {
          cipher.keyedHashesUnderEveryKey(spelled.value())
              .forEach(h -> out.add(new Identifier(spelled.type(), spelled.scope(), HASHED + h)));
        }
        out.add(spelled);
      }
    }
    return List.copyOf(out);
  }

  // --- refused records

  /** A dead letter's raw record as the log stores it: deflated and sealed ({@link SealedDocuments}). */
  String sealDocument(String raw) {
    return SealedDocuments.seal(cipher, raw);
  }

  /** A stored raw record opened (one stored before sealing, or an erasure's note, as it is). */
  public String openDocument(String stored) {
    return SealedDocuments.open(cipher, stored);
  }

  // --- identifiers

  static Identifier indexed(Identifier id, PiiCipher with) {
    return id.personalData() ? new Identifier(id.type(), id.scope(), HASHED + with.keyedHash(id.value())) : id;
  }

  static Identifier sealed(Identifier id, PiiCipher with) {
    return id.personalData() ? new Identifier(id.type(), id.scope(), with.encrypt(id.value())) : id;
  }

  private Identifier opened(Identifier id) {
    return isSealed(id.value()) ? new Identifier(id.type(), id.scope(), cipher.decrypt(id.value())) : id;
  }

  static boolean isSealed(String value) {
    return value != null && SEALED.matcher(value).matches();
  }

  // --- properties, traits, context.traits

  /**
   * The map with personal values sealed; the same map when it has none. {@code rekeying}: a value
   * already sealed is re-sealed (on intake every value is sealed, whatever it looks like).
   */
  Map<String, Object> sealKeys(Map<String, Object> m, PiiCipher with, boolean rekeying) {
    return rewriteKeys(m, v -> v == null ? null : sealValue(v, with, rekeying));
  }

  Map<String, Object> sealContext(Map<String, Object> context, PiiCipher with, boolean rekeying) {
    return rewriteContext(context, v -> v == null ? null : sealValue(v, with, rekeying));
  }

  private String sealValue(Object v, PiiCipher with, boolean rekeying) {
    if (v instanceof String s) {
      return rekeying && isSealed(s) ? with.reseal(s) : with.encrypt(s);
    }
    return with.encrypt(JSON_VALUE + json.writeValueAsString(v));
  }

  /**
   * {@code m} with {@code f} applied to the values under personal keys, at any depth (copies of the
   * maps and lists on the way); {@code m} itself when it has none.
   */
  private Map<String, Object> rewriteKeys(Map<String, Object> m, UnaryOperator<Object> f) {
    if (m.isEmpty() || m instanceof RawJsonObject raw && raw.isRaw() && !raw.hasPersonalKey(personalKeys)) {
      return m; // PERF: most events have none, found from the bytes without parsing them
    }
    return rewriteObject(m, f, false);
  }

  private Map<String, Object> rewriteObject(Map<String, Object> m, UnaryOperator<Object> f, boolean nested) {
    Map<String, Object> out = null;
    for (Map.Entry<String, Object> e : m.entrySet()) {
      Object v = e.getValue();
      Object r = personalKeys.matches(e.getKey(), nested) ? f.apply(v) : rewriteNested(v, f);
      if (r != v) {
        out = out == null ? new LinkedHashMap<>(m) : out;
        out.put(e.getKey(), r);
      }
    }
    return out == null ? m : out;
  }

  @SuppressWarnings("unchecked")
  private Object rewriteNested(Object v, UnaryOperator<Object> f) {
    if (v instanceof Map<?, ?> m) {
      return rewriteObject((Map<String, Object>) m, f, true);
    }
    if (v instanceof List<?> list) {
      List<Object> out = null;
      for (int i = 0; i < list.size(); i++) {
        Object x = list.get(i);
        Object r = rewriteNested(x, f);
        if (r != x) {
          out = out == null ? new ArrayList<>(list) : out;
          out.set(i, r);
        }
      }
      return out == null ? list : out;
    }
    return v;
  }

  /**
   * {@link #rewriteKeys} of {@code context.traits} (where Segment's libraries repeat a user's traits),
   * and {@code f} applied to the ids of personal {@code context.externalIds} (phone, mobile, email).
   */
  private Map<String, Object> rewriteContext(Map<String, Object> context, UnaryOperator<Object> f) {
    Map<String, Object> out = context;
    if (context.get("traits") instanceof Map<?, ?> traits) {
      @SuppressWarnings("unchecked")
      Map<String, Object> t = (Map<String, Object>) traits;
      Map<String, Object> rewritten = rewriteKeys(t, f);
      if (rewritten != t) {
        out = new LinkedHashMap<>(context);
        out.put("traits", rewritten);
      }
    }
    if (context.get("externalIds") instanceof List<?> ids && ids.stream().anyMatch(EventPii::personalExternalId)) {
      List<Object> rewritten = new ArrayList<>(ids.size());
      for (Object id : ids) {
        if (personalExternalId(id)) {
          Map<String, Object> entry = new LinkedHashMap<>();
          ((Map<?, ?>) id).forEach((k, v) -> entry.put(String.valueOf(k), "id".equals(k) ? f.apply(v) : v));
          rewritten.add(entry);
        } else {
          rewritten.add(id);
        }
      }
      out = out == context ? new LinkedHashMap<>(context) : out;
      out.put("externalIds", rewritten);
    }
    return out;
  }

  private static boolean personalExternalId(Object entry) {
    return entry instanceof Map<?, ?> m && m.get("type") instanceof String type && m.get("id") != null
        && IdentifierNames.segmentExternalId(type, String.valueOf(m.get("id")), "").personalData();
  }

  private Object openValue(Object stored) {
    if (!(stored instanceof String sealed) || !isSealed(sealed)) {
      return stored; // stored before sealing
    }
    String plain = cipher.decrypt(sealed);
    return plain.startsWith(JSON_VALUE) ? json.readValue(plain.substring(JSON_VALUE.length()), Object.class) : plain;
  }
}
