package io.pond.commerce.importing;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;

/** The rows of an export file, CSV (UTF-8 or GB18030, as Chinese platforms export) or XLSX (first sheet). */
final class RowSource {

  /** One row: its number in the file (the header is row 1) and its cells as text. */
  record FileRow(long number, List<String> cells) {
    String cell(Integer index) {
      if (index == null || index >= cells.size()) {
        return null;
      }
      String v = cells.get(index);
      if (v == null) {
        return null;
      }
      v = v.trim();
      // Taobao writes ids as ="123…" so that Excel keeps every digit.
      if (v.startsWith("=\"") && v.endsWith("\"")) {
        v = v.substring(2, v.length() - 1).trim();
      }
      if (v.startsWith("\t")) {
        v = v.trim();
      }
      return v.isEmpty() || v.equals("-") || v.equalsIgnoreCase("null") ? null : v;
    }
  }

  private RowSource() {}

  static boolean isXlsx(String fileName, BufferedInputStream in) throws IOException {
    if (fileName != null && fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".xlsx")) {
      return true;
    }
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
  }

  /** Feeds every row, the header first, to {@code rows}. */
  static void read(String fileName, InputStream raw, Consumer<FileRow> rows) {
    try {
      BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, 1 << 16);
      if (isXlsx(fileName, in)) {
        readXlsx(in, rows);
      } else {
        readCsv(in, rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void readCsv(BufferedInputStream in, Consumer<FileRow> rows) throws IOException {
    Charset charset = detectCharset(in);
    try (CsvReader<CsvRecord> csv =
        CsvReader.builder().skipEmptyLines(true).allowExtraFields(true).allowMissingFields(true)
            .ofCsvRecord(new InputStreamReader(in, charset))) {
      Iterator<CsvRecord> it = csv.iterator();
      while (it.hasNext()) {
        CsvRecord r = it.next();
        rows.accept(new FileRow(r.getStartingLineNumber(), r.getFields()));
      }
    }
  }

  /** UTF-8 with or without BOM, else GB18030 (a superset of GBK, what Excel-friendly exports use). */
  static Charset detectCharset(BufferedInputStream in) throws IOException {
    in.mark(1 << 16);
    byte[] head = in.readNBytes(1 << 16);
    in.reset();
    if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
      in.skip(3);
      return StandardCharsets.UTF_8;
    }
    int end = head.length;
    // do not judge a multi-byte character cut at the end of the sample
    while (end > 0 && end > head.length - 4 && (head[end - 1] & 0x80) != 0) {
      end--;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Arrays.copyOf(head, end)));
      return StandardCharsets.UTF_8;
    } catch (CharacterCodingException e) {
      return Charset.forName("GB18030");
    }
  }

  private static void readXlsx(InputStream in, Consumer<FileRow> rows) throws IOException {
    try (ReadableWorkbook workbook = new ReadableWorkbook(in);
        Stream<Row> sheet = workbook.getFirstSheet().openStream()) {
      sheet.forEach(
          row -> {
            List<String> cells = new ArrayList<>(row.getCellCount());
            for (int i = 0; i < row.getCellCount(); i++) {
              cells.add(text(row.getCell(i)));
            }
            rows.accept(new FileRow(row.getRowNum(), cells));
          });
    }
  }

  private static String text(Cell cell) {
    if (cell == null || cell.getType() == CellType.EMPTY) {
      return null;
    }
    if (cell.getType() == CellType.NUMBER) {
      String format = cell.getDataFormatString();
      if (format != null && (format.contains("yy") || format.contains("h:mm"))) {
        return cell.asDate().toString().replace('T', ' ');
      }
      return cell.asNumber().toPlainString();
    }
    return cell.getText();
  }
}
