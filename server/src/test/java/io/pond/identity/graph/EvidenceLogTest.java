package io.pond.identity.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.LinkKind;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceLogTest {

  @TempDir Path dir;

  private static EvidenceLog.Entry entry(long seq, String... keys) {
    String[] sealed = new String[keys.length];
    sealed[0] = "k1:sealed-" + seq;
    return new EvidenceLog.Entry(seq, LinkKind.TOGETHER, Instant.parse("2026-01-01T00:00:00.123Z").plusSeconds(seq),
        "msg-" + seq, "src", keys, sealed, (int) seq, "created", seq % 2 == 0 ? null : "limit:device_id", null);
  }

  private static List<EvidenceLog.Entry> all(EvidenceLog log) {
    List<EvidenceLog.Entry> out = new ArrayList<>();
    log.scan(0, (offset, e) -> out.add(e));
    return out;
  }

  @Test
  void records_come_back_as_written_by_scan_and_by_offset() {
    Path path = dir.resolve("e.log");
    long[] offsets;
    try (EvidenceLog log = EvidenceLog.open(path)) {
      offsets = log.append(List.of(entry(1, "login_id\u001f\u001fu1", "anonymous_id\u001f\u001fa1"), entry(2, "phone\u001f\u001fh:ab")));
      log.append(List.of(entry(3, "会员\u001f\u001f张三")));
      assertThat(log.read(offsets[1]).idemKey()).isEqualTo("msg-2");
    }
    try (EvidenceLog log = EvidenceLog.open(path)) {
      List<EvidenceLog.Entry> read = all(log);
      assertThat(read).hasSize(3);
      EvidenceLog.Entry first = read.get(0);
      assertThat(first.keys()).containsExactly("login_id\u001f\u001fu1", "anonymous_id\u001f\u001fa1");
      assertThat(first.sealed()).containsExactly("k1:sealed-1", null);
      assertThat(first.occurredAt()).isEqualTo(Instant.parse("2026-01-01T00:00:01.123Z"));
      assertThat(first.reason()).isEqualTo("limit:device_id");
      assertThat(first.actor()).isNull();
      assertThat(read.get(2).keys()[0]).isEqualTo("会员\u001f\u001f张三");
      assertThat(log.read(offsets[0]).seq()).isEqualTo(1);
    }
  }

  /** The record format as it was first written (DataOutputStream): the encoder must keep producing it byte for byte. */
  private static byte[] referenceEncoding(EvidenceLog.Entry e) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    out.writeByte(1);
    out.writeLong(e.seq());
    referenceString(out, e.kind().wire());
    out.writeLong(e.occurredAt().getEpochSecond());
    out.writeInt(e.occurredAt().getNano());
    referenceString(out, e.idemKey());
    referenceString(out, e.source());
    out.writeInt(e.person());
    referenceString(out, e.outcome());
    referenceString(out, e.reason());
    referenceString(out, e.actor());
    out.writeInt(e.keys().length);
    for (int i = 0; i < e.keys().length; i++) {
      referenceString(out, e.keys()[i]);
      referenceString(out, e.sealed() == null ? null : e.sealed()[i]);
    }
    return bytes.toByteArray();
  }

  private static void referenceString(java.io.DataOutputStream out, String s) throws java.io.IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  @Test
  void the_record_format_does_not_change() throws Exception {
    List<EvidenceLog.Entry> entries = List.of(
        entry(1, "login_id\u001f\u001fu1", "anonymous_id\u001f\u001fa1"),
        entry(2, "会员\u001f\u001f张三", "emoji\u001f\u001f\ud83d\ude00", "x\u001f\u001f"),
        new EvidenceLog.Entry(3, LinkKind.MANUAL, Instant.EPOCH, "", "", new String[0], null, 0, "merged", "r é", "ops"));
    for (EvidenceLog.Entry e : entries) {
      assertThat(EvidenceLog.encode(e)).isEqualTo(referenceEncoding(e));
    }
  }

  @Test
  void a_torn_tail_is_cut_off_when_the_log_is_opened_and_appends_continue_after_it() throws Exception {
    Path path = dir.resolve("e.log");
    try (EvidenceLog log = EvidenceLog.open(path)) {
      log.append(List.of(entry(1, "a\u001f\u001f1"), entry(2, "a\u001f\u001f2")));
    }
    long good = Files.size(path);
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) { // a crash in the middle of a write
      f.seek(good);
      f.writeInt(500);
      f.writeInt(12345);
      f.write(new byte[40]);
    }
    try (EvidenceLog log = EvidenceLog.open(path)) {
      assertThat(Files.size(path)).isEqualTo(good);
      assertThat(all(log)).extracting(EvidenceLog.Entry::seq).containsExactly(1L, 2L);
      log.append(List.of(entry(3, "a\u001f\u001f3")));
      assertThat(all(log)).extracting(EvidenceLog.Entry::seq).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void a_corrupt_record_ends_the_log_there() throws Exception {
    Path path = dir.resolve("e.log");
    try (EvidenceLog log = EvidenceLog.open(path)) {
      log.append(List.of(entry(1, "a\u001f\u001f1"), entry(2, "a\u001f\u001f2"), entry(3, "a\u001f\u001f3")));
    }
    long[] second = {0};
    try (EvidenceLog log = EvidenceLog.open(path)) {
      log.scan(0, (offset, e) -> {
        if (e.seq() == 2) {
          second[0] = offset;
        }
      });
    }
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
      f.seek(second[0] + 20);
      f.write(0x7f); // a flipped byte: the checksum no longer matches
    }
    try (EvidenceLog log = EvidenceLog.open(path)) {
      assertThat(all(log)).extracting(EvidenceLog.Entry::seq).containsExactly(1L);
    }
  }

  @Test
  void a_rewrite_replaces_records_and_keeps_the_rest() {
    Path path = dir.resolve("e.log");
    try (EvidenceLog log = EvidenceLog.open(path)) {
      log.append(List.of(entry(1, "phone\u001f\u001fh:old"), entry(2, "a\u001f\u001f2")));
      long changed = log.rewrite(e -> e.keys()[0].equals("phone\u001f\u001fh:old")
          ? new EvidenceLog.Entry(e.seq(), e.kind(), e.occurredAt(), e.idemKey(), e.source(), new String[] {"phone\u001f\u001fh:new"},
              null, e.person(), e.outcome(), e.reason(), e.actor())
          : e);
      assertThat(changed).isEqualTo(1);
      log.append(List.of(entry(3, "a\u001f\u001f3")));
      assertThat(all(log)).extracting(e -> e.keys()[0]).containsExactly("phone\u001f\u001fh:new", "a\u001f\u001f2", "a\u001f\u001f3");
    }
    assertThat(dir.resolve("e.log.rewrite")).doesNotExist();
  }
}
