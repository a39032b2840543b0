package io.pond.platform.security;

import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which sales channels (渠道) a caller may see: every channel, or only a named set such as
 * {@code tmall} and {@code douyin}. Modules that hold per-channel data (orders, members joined on a
 * channel, channel statistics) must filter what they return by the caller's scope, taken from
 * {@link CurrentCaller#channels()}: in SQL with {@link #channels()} ({@code AND channel IN (…)}) when
 * {@link #isRestricted()}, in memory with {@link #permits(String)} or {@link #filter}, and refuse a
 * request that names a channel outside the scope with {@link #require(String)}.
 *
 * <p>Channel names are lower-case codes ({@code tmall}, {@code jd}, {@code douyin}, {@code wechat},
 * {@code offline}…); a scope compares them case-insensitively, and a channel granted under one
 * spelling is granted under its others ({@link SalesChannels#spellings}: {@code tmall} is also
 * {@code taobao}, where commerce files Tmall orders). {@link #granted()} is what was granted;
 * {@link #channels()} and {@link #permits} include the other spellings.
 */
public final class DataScope {

  /** A channel code: a lower-case letter, then letters, digits, '-' or '_', at most 32 characters. */
  public static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  private static final DataScope ALL = new DataScope(null);

  private final Set<String> granted; // null: every channel
  private final Set<String> channels; // granted with every other spelling; null: every channel

  private DataScope(Set<String> granted) {
    this.granted = granted;
    if (granted == null) {
      this.channels = null;
    } else {
      TreeSet<String> all = new TreeSet<>();
      granted.forEach(c -> all.addAll(SalesChannels.spellings(c)));
      this.channels = Collections.unmodifiableSet(all);
    }
  }

  /** No restriction: admins, server keys, and users without channel scopes. */
  public static DataScope allChannels() {
    return ALL;
  }

  /**
   * A scope limited to these channels.
   *
   * @throws PondException {@code validation_failed} on field {@code channels} when the set is empty or
   *     a name is not a channel code
   */
  public static DataScope only(Collection<String> channels) {
    if (channels == null || channels.isEmpty()) {
      throw PondException.invalid("channels", "list at least one channel, or none at all for every channel");
    }
    TreeSet<String> normalised = new TreeSet<>();
    for (String channel : channels) {
      String name = channel == null ? "" : channel.trim().toLowerCase(Locale.ROOT);
      if (!CHANNEL.matcher(name).matches()) {
        throw PondException.invalid(
            "channels", "'" + channel + "' is not a channel code (lower-case letters, digits, '-' or '_')");
      }
      normalised.add(name);
    }
    return new DataScope(Collections.unmodifiableSet(normalised));
  }

  /** {@link #allChannels()} when {@code channels} is null, else {@link #only}. */
  public static DataScope ofNullable(Collection<String> channels) {
    return channels == null ? ALL : only(channels);
  }

  public boolean isRestricted() {
    return channels != null;
  }

  /** The permitted channels in every spelling, sorted; empty when the scope is not restricted (every channel). */
  public Optional<Set<String>> channels() {
    return Optional.ofNullable(channels);
  }

  /** The channels as granted (to show and to store), sorted; empty when the scope is not restricted. */
  public Optional<Set<String>> granted() {
    return Optional.ofNullable(granted);
  }

  public boolean permits(String channel) {
    return channels == null || (channel != null && channels.contains(channel.toLowerCase(Locale.ROOT)));
  }

  /** Refuses, with {@code forbidden} on field {@code channel}, a channel outside the scope. */
  public void require(String channel) {
    if (!permits(channel)) {
      throw new PondException(
          ErrorCode.FORBIDDEN, "Your data scope does not include the channel '" + channel + "'.", "channel");
    }
  }

  /** Keeps the items whose channel the scope permits. */
  public <T> Stream<T> filter(Stream<T> items, Function<? super T, String> channelOf) {
    return channels == null ? items : items.filter(item -> permits(channelOf.apply(item)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataScope other && java.util.Objects.equals(granted, other.granted);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(granted);
  }

  @Override
  public String toString() {
    return granted == null ? "all channels" : String.join(",", granted);
  }
}
