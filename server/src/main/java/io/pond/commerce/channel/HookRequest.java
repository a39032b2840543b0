package io.pond.commerce.channel;

import java.util.Locale;
import java.util.Map;

/** A channel push as received: the raw body (signatures cover its exact bytes), headers and query. */
public record HookRequest(String body, Map<String, String> headers, Map<String, String> query) {

  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public String query(String name) {
    return query.get(name);
  }
}
