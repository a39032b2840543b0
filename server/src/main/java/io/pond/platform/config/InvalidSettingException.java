package io.pond.platform.config;

/** A setting that cannot be used; the message names the setting, the value and what would be valid. */
public final class InvalidSettingException extends RuntimeException {

  private final String setting;

  public InvalidSettingException(String setting, String problem) {
    super("Invalid setting " + setting + ": " + problem);
    this.setting = setting;
  }

  public String setting() {
    return setting;
  }
}
