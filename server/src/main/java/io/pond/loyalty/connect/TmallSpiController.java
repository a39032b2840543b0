package io.pond.loyalty.connect;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where Tmall calls Pond: {@code /hooks/loyalty/tmall/{connector}}. Outside {@code /api}: each call is
 * authenticated by its TOP signature with the connector's app secret. The SPI names its operation in
 * the {@code method} query parameter (Tmall's own protocol, one URL per application), so this one
 * endpoint dispatches on it.
 */
@RestController
@Tag(name = "Tmall member-connect", description = "Bind query, bind, register, activate and point-change messages from Tmall")
class TmallSpiController {

  private final TmallMemberConnect tmall;

  TmallSpiController(TmallMemberConnect tmall) {
    this.tmall = tmall;
  }

  @PostMapping(path = "/hooks/loyalty/tmall/{connector}", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Tmall member-connect SPI (method = tmall.mei.crm.member.bind.query, tmall.mei.crm.bind, tmall.mei.crm.member.register, qimen.alibaba.member.activate)")
  Map<String, Object> spi(@PathVariable String connector, @RequestParam Map<String, String> query, @RequestBody(required = false) String body) {
    String text = body == null ? "" : body;
    Connectors.Connector c = tmall.authenticate(connector, query, text);
    return tmall.call(c, query.get("method"), text);
  }

  @PostMapping(path = "/hooks/loyalty/tmall/{connector}/messages", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "A tmall_mei_PointChange message (relayed from TMC, TOP-signed); answered through the outbox callback")
  TmallMemberConnect.PointChangeResult message(
      @PathVariable String connector, @RequestParam Map<String, String> query, @RequestBody(required = false) String body) {
    String text = body == null ? "" : body;
    return tmall.pointChange(tmall.authenticate(connector, query, text), text);
  }
}
