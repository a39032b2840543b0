package io.pond.messaging.outbox;

import io.pond.platform.errors.PondException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/messages")
@Tag(name = "Messaging", description = "The message outbox: what Pond sent, or holds while a channel has no provider")
class MessagesController {

  private final MessageOutbox outbox;

  MessagesController(MessageOutbox outbox) {
    this.outbox = outbox;
  }

  record Page(List<MessageOutbox.Stored> items, Long nextBefore) {}

  @GetMapping
  @PreAuthorize("hasAnyRole('ADMIN','OPERATOR')")
  @Operation(summary = "Messages newest first (recipients masked); secret bodies such as one-time codes are shown only while their channel has no provider (development)")
  Page list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Long before,
      @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > 500) {
      throw PondException.invalid("limit", "must be between 1 and 500");
    }
    String s = status == null ? null : status.toUpperCase(Locale.ROOT);
    if (s != null && !List.of("HELD", "QUEUED", "SENT", "FAILED").contains(s)) {
      throw PondException.invalid("status", "must be held, queued, sent or failed");
    }
    List<MessageOutbox.Stored> items = outbox.list(s, before, limit);
    return new Page(items, items.size() == limit ? items.getLast().id() : null);
  }
}
