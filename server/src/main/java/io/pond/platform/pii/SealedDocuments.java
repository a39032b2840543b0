package io.pond.platform.pii;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A text document that may hold personal data (an order's raw payload, a refused record), kept
 * deflated and sealed: {@code z1:} followed by the {@link PiiCipher} ciphertext of the deflated UTF-8.
 * A stored text without the prefix was stored before sealing (or is a note put there by an erasure)
 * and is read as it is.
 */
public final class SealedDocuments {

  public static final String PREFIX = "z1:";

  private SealedDocuments() {}

  public static String seal(PiiCipher cipher, String text) {
    return text == null ? null : PREFIX + cipher.encryptBytes(deflate(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The text; a stored text without the prefix as it is. */
  public static String open(PiiCipher cipher, String stored) {
    if (!isSealed(stored)) {
      return stored;
    }
    return new String(inflate(cipher.decryptBytes(stored.substring(PREFIX.length()))), StandardCharsets.UTF_8);
  }

  /** Under the ring's current key: a sealed document re-sealed (unchanged when it is), a clear one sealed. */
  public static String reseal(PiiCipher ring, String stored) {
    return isSealed(stored) ? PREFIX + ring.reseal(stored.substring(PREFIX.length())) : seal(ring, stored);
  }

  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  private static byte[] deflate(byte[] in) {
    Deflater d = new Deflater(Deflater.BEST_SPEED);
    try {
      d.setInput(in);
      d.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(in.length / 2 + 16);
      byte[] buf = new byte[Math.max(64, in.length)];
      while (!d.finished()) {
        out.write(buf, 0, d.deflate(buf));
      }
      return out.toByteArray();
    } finally {
      d.end();
    }
  }

  private static byte[] inflate(byte[] in) {
    Inflater i = new Inflater();
    try {
      i.setInput(in);
      ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 3);
      byte[] buf = new byte[Math.max(256, in.length * 3)];
      while (!i.finished()) {
        int n = i.inflate(buf);
        if (n == 0 && (i.needsInput() || i.needsDictionary())) {
          throw new IllegalArgumentException("a sealed payload is truncated");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("a sealed payload is corrupt: " + e.getMessage(), e);
    } finally {
      i.end();
    }
  }
}
