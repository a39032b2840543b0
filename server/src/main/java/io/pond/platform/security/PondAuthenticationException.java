package io.pond.platform.security;

import io.pond.platform.errors.ErrorCode;
import org.springframework.security.core.AuthenticationException;

/** A refused credential, with the problem code the caller is told. */
final class PondAuthenticationException extends AuthenticationException {

  private final ErrorCode code;

  PondAuthenticationException(ErrorCode code, String detail) {
    super(detail);
    this.code = code;
  }

  ErrorCode code() {
    return code;
  }
}
