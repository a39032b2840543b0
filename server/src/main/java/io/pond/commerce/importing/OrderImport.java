package io.pond.commerce.importing;

import io.pond.commerce.channel.ChannelShops;
import io.pond.commerce.order.DeadLetters;
import io.pond.commerce.order.Orders;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.platform.errors.PondException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;

/**
 * Imports an order export file (CSV or XLSX): rows become order messages, upserted in batches, each
 * batch in its own transaction, while the next batch is being read. Bad rows are reported with their
 * row number and reason (and kept as dead letters); good rows are imported. Importing the same file
 * again changes nothing.
 */
@Component
public class OrderImport {

  /** Orders per transaction: large enough to amortise a round trip, small enough to keep locks short. */
  static final int BATCH = 1000;

  /** Chunks written at once, each in its own transaction: one per core, at most two. */
  static final int WRITERS = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));

  /** Bad rows kept in the result; the count covers all of them. */
  static final int MAX_REPORTED = 1000;

  public record BadRow(long row, String reason) {}

  public record Result(long rows, long orders, long created, long changed, long unchanged, long badRowCount, List<BadRow> badRows) {}

  private final Orders orders;
  private final DeadLetters deadLetters;
  private final ChannelShops shops;

  OrderImport(Orders orders, DeadLetters deadLetters, ChannelShops shops) {
    this.orders = orders;
    this.deadLetters = deadLetters;
    this.shops = shops;
  }

  /**
   * @param progress told the number of rows read so far, now and then
   */
  public Result run(InputStream in, String fileName, Channel channel, String shopId, LongConsumer progress) {
    String shop = shopId == null || shopId.isBlank() ? "default" : shopId.trim();
    String buyerScope = shops.find(channel, shop).map(s -> s.appKey() != null ? s.appKey() : s.shopId()).orElse(shop);
    orders.pruneEventBatches();
    List<BadRow> reported = new ArrayList<>();
    List<DeadLetters.Entry> dead = new ArrayList<>();
    long[] counts = new long[3]; // rows, orders, bad rows
    Orders.UpsertSummary[] total = {new Orders.UpsertSummary(0, 0, 0)};
    BlockingQueue<List<OrderMessage>> queue = new ArrayBlockingQueue<>(2 * WRITERS);
    List<OrderMessage> poison = List.of();
    ExecutorService writer = Executors.newFixedThreadPool(WRITERS, r -> {
      Thread t = new Thread(r, "pond-order-import");
      t.setDaemon(true);
      return t;
    });
    // PERF: reading and parsing overlap with the database writes, and chunks are written by WRITERS
    // transactions at once. Chunks may commit out of file order: the merge policy is commutative, so an
    // order split across chunks ends the same; rows are locked in key order, so writers never deadlock.
    List<Future<?>> writing = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      writing.add(
          writer.submit(
              () -> {
                boolean mostlyNew = true;
                while (true) {
                  List<OrderMessage> batch = queue.take();
                  if (batch == poison) {
                    return null;
                  }
                  Orders.UpsertSummary s = orders.importChunk(batch, mostlyNew);
                  mostlyNew = s.created() * 2 > s.orders();
                  synchronized (total) {
                    total[0] = total[0].plus(s);
                  }
                }
              }));
    }
    List<OrderMessage>[] batch = new List[] {new ArrayList<OrderMessage>(BATCH)};
    ExportRows rows =
        new ExportRows(
            channel,
            shop,
            buyerScope,
            message -> {
              counts[1]++;
              batch[0].add(message);
              if (batch[0].size() >= BATCH) {
                put(queue, batch[0], writing);
                batch[0] = new ArrayList<>(BATCH);
              }
            },
            bad -> {
              counts[2]++;
              if (reported.size() < MAX_REPORTED) {
                reported.add(new BadRow(bad.row(), bad.reason()));
              }
              dead.add(new DeadLetters.Entry(channel, shop, DeadLetters.Source.IMPORT, "row " + bad.row() + ": " + bad.reason(),
                  bad.payload()));
            });
    try {
      RowSource.read(
          fileName,
          in,
          row -> {
            rows.accept(row);
            if (++counts[0] % 5000 == 0) {
              progress.accept(counts[0]);
            }
          });
      rows.finish();
      if (!batch[0].isEmpty()) {
        put(queue, batch[0], writing);
      }
      for (int w = 0; w < WRITERS; w++) {
        put(queue, poison, writing);
      }
      for (Future<?> w : writing) {
        w.get();
      }
    } catch (IllegalArgumentException e) {
      writing.forEach(w -> w.cancel(true));
      throw PondException.invalid("file", e.getMessage());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("import interrupted", e);
    } finally {
      writing.forEach(w -> w.cancel(true));
      writer.shutdownNow();
    }
    progress.accept(counts[0]);
    for (int i = 0; i < dead.size(); i += BATCH) {
      deadLetters.record(dead.subList(i, Math.min(dead.size(), i + BATCH)));
    }
    Orders.UpsertSummary s = total[0];
    return new Result(Math.max(0, counts[0] - 1), counts[1], s.created(), s.changed(), s.unchanged(), counts[2], reported);
  }

  private static void put(BlockingQueue<List<OrderMessage>> queue, List<OrderMessage> batch, List<Future<?>> writing) {
    try {
      while (!queue.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        for (Future<?> w : writing) {
          if (w.isDone()) {
            w.get(); // rethrows the writer's failure
            if (!batch.isEmpty()) { // a writer ends normally only on the end-of-file marker
              throw new IllegalStateException("an import writer stopped");
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("import interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }
}
