package io.pond.ingest.demo;

import io.pond.ingest.log.EncodedEvent;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventLogConsumer;
import io.pond.ingest.LinkKind;
import io.pond.ingest.consumer.ConsumerOffsets;
import io.pond.ingest.log.EventLog;
import io.pond.ingest.log.Submission;
import io.pond.platform.Identifier;
import io.pond.platform.apikey.ApiKeys;
import io.pond.platform.apikey.domain.KeyKind;
import io.pond.platform.demo.DemoContributor;
import io.pond.platform.demo.DemoPerson;
import io.pond.platform.demo.DemoProgress;
import io.pond.platform.demo.DemoWorld;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.springframework.stereotype.Component;

/**
 * The demo brand's behaviour events, committed to the event log as the native API would (source
 * {@code demo}), so that every event-log consumer — identity first — processes them.
 *
 * <p>Mini-program users open the app, view and add products to the cart (identified by their openid
 * and unionid) and, when they gave it, sign in with their phone; web visitors browse anonymously (a
 * cookie id) and some sign in with their phone, which links the cookie to the person. Visitors who
 * never sign in stay anonymous persons.
 */
@Component
class DemoEvents implements DemoContributor {

  static final String SOURCE = "demo";
  private static final int BATCH = 5000;
  private static final String[] PRODUCTS = {"SR-HA-30", "CR-NIGHT-50", "MK-HA-10", "SUN-SPF50", "LIP-RD-01", "CUSH-NC20", "GIFT-SET"};
  private static final String[] PAGES = {"/", "/new", "/skincare", "/makeup", "/gifts", "/members"};

  private final EventLog log;
  private final ApiKeys keys;
  private final ConsumerOffsets offsets;
  private final List<EventLogConsumer> consumers;

  DemoEvents(EventLog log, ApiKeys keys, ConsumerOffsets offsets, List<EventLogConsumer> consumers) {
    this.log = log;
    this.keys = keys;
    this.offsets = offsets;
    this.consumers = consumers;
  }

  @Override
  public String name() {
    return "events";
  }

  @Override
  public int order() {
    return EVENTS;
  }

  @Override
  public long existing() {
    return log.count();
  }

  /** Events the slowest consumer has not processed yet. */
  @Override
  public long pending() {
    long last = log.lastOffset();
    long behind = 0;
    for (EventLogConsumer c : consumers) {
      behind = Math.max(behind, last - offsets.committed(c.name()));
    }
    return behind;
  }

  private List<EncodedEvent> encoded(List<EventEnvelope> batch) {
    return batch.stream().map(log::encode).toList();
  }

  @Override
  public void load(DemoWorld world, DemoProgress progress) {
    long sourceId = sourceId();
    progress.total(world.persons(), " persons");
    List<EventEnvelope> batch = new ArrayList<>(BATCH + 64);
    int persons = 0;
    for (int i = 0; i < world.persons(); i++) {
      eventsOf(world, world.person(i), sourceId, batch);
      persons++;
      if (batch.size() >= BATCH) {
        log.commit(new Submission(sourceId, SOURCE, encoded(batch), List.of()));
        progress.advance(persons);
        persons = 0;
        batch = new ArrayList<>(BATCH + 64);
      }
    }
    if (!batch.isEmpty()) {
      log.commit(new Submission(sourceId, SOURCE, encoded(batch), List.of()));
    }
    progress.advance(persons);
  }

  private long sourceId() {
    if (keys.sources().stream().noneMatch(s -> s.name().equals(SOURCE))) {
      keys.create(new ApiKeys.NewKey(KeyKind.WRITE, "pond demo", SOURCE, null), "pond demo");
    }
    return keys.sources().stream().filter(s -> s.name().equals(SOURCE)).findFirst().orElseThrow().id();
  }

  /** A person's events, the same for the same seed. */
  void eventsOf(DemoWorld world, DemoPerson p, long sourceId, List<EventEnvelope> out) {
    SplittableRandom r = world.random("events", p.index());
    int n = 0;
    int sessions = switch (p.segment()) {
      case LOYAL -> 3 + r.nextInt(4);
      case REGULAR -> 1 + r.nextInt(3);
      default -> 1 + (r.nextDouble() < 0.3 ? 1 : 0);
    };
    if (p.wechat()) {
      List<Identifier> ids = List.of(p.openidIdentifier(), p.unionidIdentifier());
      Instant first = null;
      for (int s = 0; s < sessions; s++) {
        Instant at = time(world, world.seasonalDay(r), r);
        first = first == null || at.isBefore(first) ? at : first;
        String sku = PRODUCTS[r.nextInt(PRODUCTS.length)];
        out.add(track(world, p, n++, sourceId, "mp_launch", at, ids, Map.of("scene", 1000 + r.nextInt(100)), "mini-program"));
        out.add(track(world, p, n++, sourceId, "view_product", at.plusSeconds(20 + r.nextInt(200)), ids, Map.of("sku", sku), "mini-program"));
        if (r.nextDouble() < 0.35) {
          out.add(track(world, p, n++, sourceId, "add_to_cart", at.plusSeconds(240 + r.nextInt(300)), ids, Map.of("sku", sku, "quantity", 1),
              "mini-program"));
        }
      }
      if (p.gavePhoneOn(DemoWorld.WECHAT_SHOP)) {
        List<Identifier> signIn = List.of(p.openidIdentifier(), p.unionidIdentifier(), p.phoneIdentifier());
        out.add(envelope(world, p, n++, sourceId, "identify", null, first.plusSeconds(30), signIn,
            Map.of(), Map.of("city", p.city(), "gender", p.gender(), "birth_year", p.birthYear()), "mini-program"));
      }
    }
    if (p.web()) {
      List<Identifier> cookie = List.of(Identifier.global(Identifier.COOKIE_ID, p.webAnonymousId()));
      Instant first = null;
      for (int s = 0; s < sessions; s++) {
        Instant at = time(world, world.seasonalDay(r), r);
        first = first == null || at.isBefore(first) ? at : first;
        out.add(track(world, p, n++, sourceId, "page_view", at, cookie, Map.of("path", PAGES[r.nextInt(PAGES.length)]), "web"));
        out.add(track(world, p, n++, sourceId, "view_product", at.plusSeconds(15 + r.nextInt(120)), cookie,
            Map.of("sku", PRODUCTS[r.nextInt(PRODUCTS.length)]), "web"));
      }
      if (p.webLogin()) {
        List<Identifier> login = List.of(Identifier.global(Identifier.COOKIE_ID, p.webAnonymousId()), p.phoneIdentifier());
        out.add(envelope(world, p, n++, sourceId, "identify", null, first.plusSeconds(60), login, Map.of(), Map.of("city", p.city()), "web"));
      }
    }
  }

  private static Instant time(DemoWorld world, LocalDate day, SplittableRandom r) {
    int hour = r.nextDouble() < 0.35 ? 20 + r.nextInt(4) : 8 + r.nextInt(12);
    return day.atTime(hour, r.nextInt(60), r.nextInt(60)).atZone(world.zone()).toInstant();
  }

  private static EventEnvelope track(DemoWorld world, DemoPerson p, int n, long sourceId, String event, Instant at, List<Identifier> ids,
      Map<String, Object> properties, String app) {
    return envelope(world, p, n, sourceId, "track", event, at, ids, properties, Map.of(), app);
  }

  private static EventEnvelope envelope(DemoWorld world, DemoPerson p, int n, long sourceId, String type, String event, Instant at,
      List<Identifier> ids, Map<String, Object> properties, Map<String, Object> traits, String app) {
    return new EventEnvelope(
        0,
        sourceId,
        "demo-" + world.seed() + "-" + p.index() + "-" + n,
        "native",
        type,
        event,
        at,
        at,
        ids,
        LinkKind.TOGETHER,
        null,
        properties,
        traits,
        Map.of("library", Map.of("name", "pond-demo"), "app", app));
  }
}
