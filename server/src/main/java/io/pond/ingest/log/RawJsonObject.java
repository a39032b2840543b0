package io.pond.ingest.log;

import io.pond.platform.pii.PersonalTraits;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON object kept as the bytes it was received as, because those bytes are exactly what the
 * application's mapper would write for it ({@link CanonicalJson} checked them): the event log
 * copies them into the frame instead of parsing the object into maps and writing it again.
 *
 * <p>It is a {@code Map} like any other envelope value: reading it parses the bytes (once) into the
 * same plain values the streaming parse makes (LinkedHashMap, ArrayList, String, Integer/Long/
 * BigInteger, Double, Boolean, null). PERF: {@link #isEmpty()}, and {@link #get}/{@link #containsKey}
 * of a key the object does not have, answer from the bytes. Anything that could change the map
 * (a put or remove, an iteration, a nested list or map handed out) drops the bytes, and the map is
 * written as a map from then on, so the stored JSON always matches the map.
 */
public final class RawJsonObject extends AbstractMap<String, Object> {

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final JsonMapper json;
  private byte[] bytes;
  private final int offset;
  private final int length;
  private LinkedHashMap<String, Object> map;

  RawJsonObject(JsonMapper json, byte[] bytes, int offset, int length) {
    this.json = json;
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /** Whether the object is still its received bytes (and will be stored as them). */
  public boolean isRaw() {
    return bytes != null;
  }

  /** The index just after the object in the array it was read from. */
  public int sourceEnd() {
    return offset + length;
  }

  /** Copies the canonical bytes into the frame; false when they were dropped. */
  boolean writeTo(LogFrames.Writer w) {
    if (bytes == null) {
      return false;
    }
    w.putBytes(bytes, offset, length);
    return true;
  }

  /**
   * Whether a key, at any depth, is personal ({@link CanonicalJson#hasPersonalKey}), read from the
   * bytes: only while {@link #isRaw()}.
   */
  boolean hasPersonalKey(PersonalTraits keys) {
    return CanonicalJson.hasPersonalKey(bytes, offset, length, keys);
  }

  /** The stored size while raw, for sizing the frame. */
  int rawLength() {
    return bytes == null ? -1 : length;
  }

  private LinkedHashMap<String, Object> parsed() {
    if (map == null) {
      map = json.readValue(bytes, offset, length, MAP);
    }
    return map;
  }

  /** The map from now on: the bytes no longer describe it. */
  private LinkedHashMap<String, Object> detached() {
    LinkedHashMap<String, Object> m = parsed();
    bytes = null;
    return m;
  }

  @Override
  public boolean isEmpty() {
    return bytes != null ? length == 2 : map.isEmpty();
  }

  @Override
  public int size() {
    return parsed().size();
  }

  @Override
  public boolean containsKey(Object key) {
    if (bytes != null && key instanceof String s && !CanonicalJson.hasTopLevelKey(bytes, offset, length, s)) {
      return false;
    }
    return parsed().containsKey(key);
  }

  @Override
  public Object get(Object key) {
    if (bytes != null && key instanceof String s && !CanonicalJson.hasTopLevelKey(bytes, offset, length, s)) {
      return null;
    }
    Object v = parsed().get(key);
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      bytes = null; // a container the caller could change
    }
    return v;
  }

  @Override
  public Object put(String key, Object value) {
    return detached().put(key, value);
  }

  @Override
  public Object remove(Object key) {
    return detached().remove(key);
  }

  @Override
  public void clear() {
    detached().clear();
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return detached().entrySet();
  }

  @Override
  public Set<String> keySet() {
    return detached().keySet();
  }

  /** For tests: the bytes kept, or null. */
  byte[] raw() {
    return bytes == null ? null : Arrays.copyOfRange(bytes, offset, offset + length);
  }
}
