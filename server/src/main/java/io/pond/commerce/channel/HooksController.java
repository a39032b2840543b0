package io.pond.commerce.channel;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Channel push endpoints, {@code /hooks/{channel}/{shopId}}. They sit outside {@code /api}: each
 * push is authenticated by the channel's own signature with the shop's secret, not by a Pond key.
 */
@RestController
@Tag(name = "Channel hooks", description = "Order pushes from Taobao/Tmall, 抖店, Youzan, Kuaishou, 微信小店 and JD pollers")
class HooksController {

  private final ChannelPushes pushes;

  HooksController(ChannelPushes pushes) {
    this.pushes = pushes;
  }

  record Ack(int code, String msg, int accepted, int deadLettered, int skipped) {}

  @PostMapping(path = "/hooks/{channel}/{shopId}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Receive a channel's order push (signed with the shop's secret)")
  Ack receive(
      @PathVariable String channel,
      @PathVariable String shopId,
      @RequestBody(required = false) String body,
      @RequestParam Map<String, String> query,
      HttpServletRequest request) {
    ChannelPushes.Receipt r = pushes.receive(channel, shopId, new HookRequest(body == null ? "" : body, headers(request), query));
    return new Ack(0, "success", r.accepted(), r.deadLettered(), r.skipped());
  }

  /** WeChat checks a push URL by GETting it with {@code echostr}; the answer is the echo. */
  @GetMapping(path = "/hooks/{channel}/{shopId}", produces = MediaType.TEXT_PLAIN_VALUE)
  @Operation(summary = "Answer a channel's URL verification (WeChat echostr)")
  String verify(@PathVariable String channel, @PathVariable String shopId, @RequestParam Map<String, String> query,
      HttpServletRequest request) {
    pushes.authenticate(channel, shopId, new HookRequest("", headers(request), query));
    return query.getOrDefault("echostr", "success");
  }

  private static Map<String, String> headers(HttpServletRequest request) {
    Map<String, String> out = new HashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      out.put(name.toLowerCase(Locale.ROOT), request.getHeader(name));
    }
    return out;
  }
}
