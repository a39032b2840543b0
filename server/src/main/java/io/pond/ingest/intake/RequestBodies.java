package io.pond.ingest.intake;

import io.pond.ingest.envelope.domain.IngestLimits;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reads request bodies with {@code Content-Encoding: gzip} and the per-request size limit. */
public final class RequestBodies {

  private RequestBodies() {}

  /**
   * The body, decompressed; chunked bodies (no Content-Length) are read the same way.
   *
   * @throws PondException 413 {@code payload_too_large} over {@link IngestLimits#maxBatchBytes()}
   *     (counted after decompression), 400 {@code malformed_request} for a broken gzip stream
   */
  public static byte[] read(HttpServletRequest request, IngestLimits limits) {
    int max = limits.maxBatchBytes();
    String encoding = request.getHeader("Content-Encoding");
    boolean gzip = encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("gzip");
    long length = request.getContentLengthLong();
    if (!gzip && length > max) {
      throw tooLarge(max);
    }
    try (InputStream raw = request.getInputStream();
        InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
      if (!gzip && length >= 0) {
        // PERF: the size is known: read into an array of that size. readNBytes(max + 1) reads
        // through 16 KB chunks and copies them, which cost more than the rest of reading a small
        // request. The servlet stream ends at Content-Length; a shorter body is what arrived.
        byte[] body = new byte[(int) length];
        int n = in.readNBytes(body, 0, body.length);
        return n == body.length ? body : Arrays.copyOf(body, n);
      }
      byte[] body = in.readNBytes(max + 1);
      if (body.length > max) {
        throw tooLarge(max);
      }
      return body;
    } catch (ZipException e) {
      throw new PondException(ErrorCode.MALFORMED_REQUEST, "the body is not valid gzip: " + e.getMessage());
    } catch (IOException e) {
      throw new PondException(ErrorCode.MALFORMED_REQUEST, "the body could not be read: " + e.getMessage());
    }
  }

  static PondException tooLarge(int max) {
    return new PondException(
        ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than " + max + " bytes (after decompression)");
  }
}
