package io.pond.ingest.sdk;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * Serves the web SDK {@code pond.js} to any page, without authentication. Cached for an hour by
 * browsers and CDNs, and revalidated by its ETag (the hash of its content), so an upgrade of Pond
 * reaches pages within the hour.
 */
@RestController
@Tag(name = "Ingestion: web SDK")
class WebSdkController {

  static final Duration CACHE_FOR = Duration.ofHours(1);

  private final byte[] script;
  private final String etag;

  WebSdkController() {
    try (InputStream in = new ClassPathResource("sdk/pond.js").getInputStream()) {
      script = in.readAllBytes();
      etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script), 0, 8) + "\"";
    } catch (IOException e) {
      throw new UncheckedIOException("sdk/pond.js is missing from the classpath", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Operation(summary = "The web SDK pond.js (no authentication; cacheable)")
  @GetMapping({"/sdk/pond.js", "/pond.js"})
  ResponseEntity<byte[]> script(WebRequest request) {
    if (request.checkNotModified(etag)) {
      return null; // 304, headers already set
    }
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "javascript", java.nio.charset.StandardCharsets.UTF_8))
        .cacheControl(CacheControl.maxAge(CACHE_FOR).cachePublic())
        .eTag(etag)
        .body(script);
  }
}
