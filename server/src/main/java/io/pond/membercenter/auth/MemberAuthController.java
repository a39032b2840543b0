package io.pond.membercenter.auth;

import io.pond.identity.Evidence;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.identity.ResolvingIdentity;
import io.pond.membercenter.auth.domain.MobileNumber;
import io.pond.platform.Identifier;
import io.pond.platform.errors.ErrorCode;
import io.pond.platform.errors.PondException;
import io.pond.platform.member.MemberSessions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/member/auth")
@Tag(name = "Member center", description = "The member's own view: sign-in with a one-time code, card, points, mall")
class MemberAuthController {

  private final OneTimeCodes codes;
  private final MemberSessions sessions;
  private final Persons persons;
  private final ResolvingIdentity resolving;
  private final Clock clock;

  MemberAuthController(OneTimeCodes codes, MemberSessions sessions, Persons persons, ResolvingIdentity resolving, Clock clock) {
    this.codes = codes;
    this.sessions = sessions;
    this.persons = persons;
    this.resolving = resolving;
    this.clock = clock;
  }

  record CodeRequest(String phone) {}

  record CodeSent(String phone, Instant expiresAt, long resendAfterSeconds) {}

  record VerifyRequest(String phone, String code) {}

  record SignedIn(String token, int personId, Instant expiresAt) {}

  @PostMapping("/code")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(summary = "Send a one-time sign-in code by SMS (held in the message outbox while no SMS provider is configured)")
  CodeSent code(@RequestBody CodeRequest request) {
    MobileNumber phone = phone(request.phone());
    OneTimeCodes.Issued issued = codes.issue(phone);
    return new CodeSent(phone.masked(), issued.expiresAt(), issued.resendAfterSeconds());
  }

  @PostMapping("/verify")
  @Operation(summary = "Sign in with the code: answers a member token (Bearer pond_ms_…); a new phone becomes a new person")
  SignedIn verify(@RequestBody VerifyRequest request) {
    MobileNumber phone = phone(request.phone());
    codes.verify(phone, request.code());
    Identifier id = new Identifier("phone", "", phone.e164());
    PersonId person = persons.personOf(id).orElseGet(() -> resolving
        .resolve(new Evidence(List.of(id), io.pond.identity.LinkKind.TOGETHER, "member_center", clock.instant(),
            "member_center:sign_in:" + phone.e164()))
        .person()
        .orElseThrow(() -> new PondException(ErrorCode.CONFLICT, "This phone cannot be signed in: " + phone.masked(), "phone")));
    MemberSessions.Started started = sessions.start(person.value(), "sms_code");
    return new SignedIn(started.token(), started.personId(), started.expiresAt());
  }

  @PostMapping("/logout")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "End the member session of the presented token")
  void logout(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      sessions.end(authorization.substring(7).trim());
    }
  }

  private static MobileNumber phone(String raw) {
    return MobileNumber.parse(raw)
        .orElseThrow(() -> PondException.invalid("phone", "must be a mainland China mobile number such as 13812345678"));
  }
}
