package io.pond.platform.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Short {@code IN (?, …)} lists for statements over many ids: H2 re-checks every row against the
 * whole list, so a long list is split into lists of {@link #SIZE}.
 */
public final class InLists {

  public static final int SIZE = 50;

  private InLists() {}

  /** The values in lists of at most {@link #SIZE} (views of {@code values}). */
  public static <T> List<List<T>> chunks(List<T> values) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i += SIZE) {
      out.add(values.subList(i, Math.min(values.size(), i + SIZE)));
    }
    return out;
  }

  /** {@code n} (at least 1) comma-separated placeholders: {@code ?, ?, ?}. */
  public static String placeholders(int n) {
    return "?" + ", ?".repeat(n - 1);
  }
}
