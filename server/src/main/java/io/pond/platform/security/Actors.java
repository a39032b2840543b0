package io.pond.platform.security;

/** Names the caller of the current request for the audit log. */
public final class Actors {

  private Actors() {}

  /** {@code user:admin}, {@code key:12}, or {@code system} when nobody is authenticated. */
  public static String current() {
    return CurrentCaller.get().actor();
  }

  /** The actor for work started from the command line. */
  public static String cli() {
    return "cli:" + System.getProperty("user.name", "unknown");
  }
}
