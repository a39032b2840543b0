package io.pond.ingest.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the frames of one segment file in order, from a byte position up to an end position,
 * through a buffer; stops at the end or before an incomplete or corrupt frame.
 */
final class SegmentReader {

  private final FileChannel in;
  private final long end;
  private ByteBuffer b;
  private long bufStart;
  private int at;
  private int len;
  private boolean eof;

  /** @param buffer reused between readers; may be replaced by a larger one ({@link #buffer()}) */
  SegmentReader(FileChannel in, long start, long end, ByteBuffer buffer) {
    this.in = in;
    this.end = end;
    this.b = buffer;
    this.bufStart = start;
    b.clear().limit(0);
  }

  /** Moves to the next complete, valid frame; false at the end or before a torn or corrupt frame. */
  boolean next() throws IOException {
    at += len;
    len = 0;
    while (true) {
      int l = LogFrames.check(b, at);
      if (l > 0) {
        len = l;
        return true;
      }
      if (l < 0 || eof || bufStart + b.limit() >= end) {
        return false; // corrupt, or the rest up to the end is in the buffer and incomplete
      }
      if (at == 0 && b.limit() == b.capacity()) {
        if (b.capacity() >= LogFrames.MAX_BODY + LogFrames.HEADER) {
          return false;
        }
        b = ByteBuffer.allocate(Math.min(b.capacity() * 2, LogFrames.MAX_BODY + LogFrames.HEADER));
      }
      bufStart += at;
      at = 0;
      b.clear();
      b.limit((int) Math.min(b.capacity(), end - bufStart));
      while (b.hasRemaining()) {
        if (in.read(b, bufStart + b.position()) < 0) {
          eof = true;
          break;
        }
      }
      b.flip();
    }
  }

  /** The buffer holding the current frame. */
  ByteBuffer buffer() {
    return b;
  }

  /** Where the current frame starts in {@link #buffer()}. */
  int frameStart() {
    return at;
  }

  /** The file position just after the current frame (or the start position before any). */
  long position() {
    return bufStart + at + len;
  }
}
