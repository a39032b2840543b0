package io.pond.commerce.importing;

import io.pond.commerce.order.domain.Channel;
import io.pond.platform.errors.PondException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@Tag(name = "Orders", description = "Canonical orders from every channel, the native/POS order API and dead letters")
class ImportController {

  private final OrderImport importer;

  ImportController(OrderImport importer) {
    this.importer = importer;
  }

  @PostMapping(path = "/api/v1/orders/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(summary = "Import an order export (CSV or XLSX, the platform's own columns); bad rows are reported, good rows imported")
  OrderImport.Result importFile(
      @RequestPart("file") MultipartFile file,
      @RequestParam String channel,
      @RequestParam(required = false) String shop) throws IOException {
    Channel ch =
        Channel.fromWire(channel).orElseThrow(() -> PondException.invalid("channel", "unknown channel '" + channel + "'"));
    if (file.isEmpty()) {
      throw PondException.invalid("file", "the file is empty");
    }
    try (InputStream in = file.getInputStream()) {
      return importer.run(in, file.getOriginalFilename(), ch, shop, rows -> {});
    }
  }
}
