package io.pond.ingest.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dedup hash is stored (frames, DuckDB): the ASCII shortcut must give the UTF-8 bytes' hash. */
class DedupHashTest {

  private static long reference(long sourceId, String messageId) {
    long h = 0xcbf29ce484222325L ^ sourceId;
    for (byte b : messageId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  @Test
  void hashIsThatOfTheUtf8Bytes() {
    for (String id : List.of("", "m1", "pond-0f8e2c1a-6a3b-4c55-9e1d-1b2c3d4e5f60", "ascii then é", "中文", "😀x", "\u007f\u0080")) {
      for (long source : new long[] {0, 1, 42, Long.MAX_VALUE}) {
        assertThat(EventLog.hash(source, id)).as(id).isEqualTo(reference(source, id));
      }
    }
  }
}
