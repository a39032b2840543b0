package io.pond.membercenter.card;

import io.pond.membercenter.CurrentMember;
import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.loyalty.MemberPoints;
import io.pond.loyalty.PersonRef;
import io.pond.platform.Identifier;
import io.pond.platform.errors.PondException;
import io.pond.platform.pii.PiiCipher;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in member's own card, points and mall. Every call acts for the member of the token only. */
@RestController
@Tag(name = "Member center", description = "The member's own view: sign-in with a one-time code, card, points, mall")
class MemberCenterController {

  private final MemberPoints points;
  private final Persons persons;
  private final PiiCipher cipher;
  private final Clock clock;
  private final CurrentMember currentMember;

  MemberCenterController(MemberPoints points, Persons persons, PiiCipher cipher, Clock clock, CurrentMember currentMember) {
    this.currentMember = currentMember;
    this.points = points;
    this.persons = persons;
    this.cipher = cipher;
    this.clock = clock;
  }

  record Membership(String program, String name, MemberPoints.Balance balance) {}

  record Me(int personId, String phone, List<Membership> memberships) {}

  record Card(String program, String name, MemberPoints.Balance balance, String memberCode, Instant codeExpiresAt) {}

  record RedeemRequest(String requestId) {}

  @GetMapping("/api/v1/member/me")
  @Operation(summary = "Who I am: my masked phone and my memberships with their balances")
  Me me() {
    int person = current();
    String phone = persons.identifiersOf(PersonId.of(person)).stream()
        .filter(i -> i.type().equals("phone"))
        .map(Identifier::value)
        .findFirst()
        .map(PiiCipher::mask)
        .orElse(null);
    List<Membership> memberships = points.programs().stream()
        .map(p -> new Membership(p.code(), p.name(), points.balance(p.code(), new PersonRef(person)).orElse(null)))
        .toList();
    return new Me(person, phone, memberships);
  }

  @GetMapping("/api/v1/member/card")
  @Operation(summary = "My member card in a program: tier, points and a member code that lives five minutes")
  Card card(@RequestParam(required = false) String program) {
    int person = current();
    MemberPoints.Program p = program(program);
    Instant now = clock.instant();
    return new Card(p.code(), p.name(), points.balance(p.code(), new PersonRef(person)).orElse(null),
        MemberCode.issue(cipher, person, now), now.plus(MemberCode.TTL));
  }

  @GetMapping(path = "/api/v1/member/card/qr.png", produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(summary = "A member code as a QR image (PNG), for a store to scan")
  ResponseEntity<byte[]> qr(@RequestParam String code) {
    if (MemberCode.check(cipher, code, clock.instant()).filter(p -> p == current()).isEmpty()) {
      throw PondException.invalid("code", "not a live member code of yours");
    }
    try {
      var matrix = new QRCodeWriter().encode(code, BarcodeFormat.QR_CODE, 320, 320, Map.of(EncodeHintType.MARGIN, 1));
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      MatrixToImageWriter.writeToStream(matrix, "PNG", png);
      return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_PNG).body(png.toByteArray());
    } catch (WriterException e) {
      throw new IllegalStateException("a member code always fits a QR code", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @GetMapping("/api/v1/member/points")
  @Operation(summary = "My points history, newest first, each entry explained")
  List<MemberPoints.Entry> history(
      @RequestParam(required = false) String program,
      @RequestParam(required = false) Long before,
      @RequestParam(defaultValue = "20") int limit) {
    if (limit < 1 || limit > 100) {
      throw PondException.invalid("limit", "must be between 1 and 100");
    }
    return points.entries(program(program).code(), new PersonRef(current()), before, limit);
  }

  @GetMapping("/api/v1/member/mall")
  @Operation(summary = "The points mall of a program")
  List<MemberPoints.MallItem> mall(@RequestParam(required = false) String program) {
    return points.mallItems(program(program).code());
  }

  @PostMapping("/api/v1/member/mall/{item}/redeem")
  @Operation(summary = "Redeem a points-only mall item; idempotent on requestId")
  MemberPoints.Redeemed redeem(
      @PathVariable String item, @RequestParam(required = false) String program, @RequestBody RedeemRequest request) {
    if (request == null || request.requestId() == null || request.requestId().isBlank() || request.requestId().length() > 100) {
      throw PondException.invalid("requestId", "must be 1-100 characters");
    }
    return points.redeemItem(program(program).code(), new PersonRef(current()), item, request.requestId());
  }

  record CheckedCode(int personId) {}

  @GetMapping("/api/v1/member-codes/{code}")
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Check a scanned member code (store staff / POS): the person it stands for, while it is live")
  CheckedCode check(@PathVariable String code) {
    return MemberCode.check(cipher, code, clock.instant())
        .map(CheckedCode::new)
        .orElseThrow(() -> PondException.invalid("code", "not a live member code"));
  }

  private MemberPoints.Program program(String code) {
    List<MemberPoints.Program> all = points.programs();
    if (all.isEmpty()) {
      throw PondException.notFound("loyalty program", "(none)");
    }
    if (code == null) {
      return all.getFirst();
    }
    return all.stream().filter(p -> p.code().equals(code)).findFirst()
        .orElseThrow(() -> PondException.notFound("loyalty program", code));
  }

  private int current() {
    return currentMember.personId();
  }
}
