package io.pond.platform.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.commerce.order.DeadLetters;
import io.pond.commerce.order.OrderQueries;
import io.pond.commerce.order.Orders;
import io.pond.commerce.order.domain.Channel;
import io.pond.commerce.order.domain.OrderKey;
import io.pond.commerce.order.domain.OrderMessage;
import io.pond.commerce.order.domain.OrderStatus;
import io.pond.ingest.EventEnvelope;
import io.pond.ingest.EventHistory;
import io.pond.ingest.LinkKind;
import io.pond.ingest.envelope.domain.Rejection;
import io.pond.ingest.log.EventLog;
import io.pond.ingest.log.Submission;
import io.pond.ingest.query.IngestQueries;
import io.pond.messaging.Messages;
import io.pond.platform.Identifier;
import io.pond.platform.cli.Jobs;
import io.pond.platform.storage.DuckDbStore;
import io.pond.profile.trait.Traits;
import io.pond.profile.trait.domain.TraitWrite;
import io.pond.support.Cli;
import io.pond.support.IsolatedStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code pond pii rotate-key} re-keys the personal data of profile, messaging, commerce and the member center too. */
@ExtendWith(Cli.class)
class EveryModuleRotationTest {

  private static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");
  private static final String PHONE = "+8613800138000";
  private static final int PERSON = 7;

  private final Path dataDir = IsolatedStores.newDataDir("pii-modules-" + UUID.randomUUID());
  private final Path keyFile = dataDir.resolve("keys").resolve("pii.key");

  private void storePersonalData() {
    Jobs.withContext(dataDir.toString(), context -> {
      Traits traits = context.getBean(Traits.class);
      traits.write(PERSON, List.of(new TraitWrite("email", "alice@example.com", "operator", AT),
          new TraitWrite("city", "上海", "operator", AT)), "test");
      traits.write(PERSON, List.of(new TraitWrite("email", "alice@example.org", "operator", AT.plusSeconds(60))), "test");
      context.getBean(Messages.class).send(new Messages.Outgoing("sms", Identifier.global(Identifier.PHONE, PHONE),
          "test", "your code is 123456", true));
      PiiCipher cipher = context.getBean(PiiCipher.class);
      context.getBean(JdbcClient.class)
          .sql("INSERT INTO member_otp (phone_hash, code_hash, created_at, expires_at, attempts) VALUES (?, ?, ?, ?, 0)")
          .params(cipher.keyedHash(PHONE), cipher.keyedHash(PHONE + ":123456"), Timestamp.from(AT), Timestamp.from(AT.plusSeconds(300)))
          .update();
      // an order with a phone buyer (sealed, hashed) in a bulk load's sealed event batch, and one stored before sealing
      Orders orders = context.getBean(Orders.class);
      orders.importChunk(List.of(order("PII-1", Identifier.global(Identifier.PHONE, PHONE)),
          order("PII-2", Identifier.global(Identifier.EMAIL, "legacy@example.com"))), true);
      context.getBean(DeadLetters.class).record(new DeadLetters.Entry(Channel.NATIVE, "pii-shop", DeadLetters.Source.API, "unknown status",
          "{\"buyer\":\"" + PHONE + "\"}"));
      JdbcClient jdbc = context.getBean(JdbcClient.class);
      jdbc.sql("UPDATE commerce_order SET raw_payload = ? WHERE platform_order_id = 'PII-2'").param("{\"email\":\"legacy@example.com\"}")
          .update();
      jdbc.sql("UPDATE commerce_order_buyer SET id_value = 'legacy@example.com', value_enc = NULL WHERE id_type = 'email'").update();
      // an event with the phone as identifier and property (sealed), whose properties were stored before sealing
      EventLog log = context.getBean(EventLog.class);
      log.commit(new Submission(1, "test", List.of(log.encode(new EventEnvelope(0, 1, "pii-event", "segment", "track", "Form Submitted",
          AT, AT, List.of(Identifier.global(Identifier.PHONE, PHONE)), LinkKind.TOGETHER, null,
          Map.of("phone", PHONE, "plan", "gold"), Map.of(), Map.of()))),
          List.of(log.deadLetter(1, "segment", AT, new Rejection("invalid", "event", "missing"), "{\"phone\":\"" + PHONE + "\"}"))));
      log.awaitLoaded();
      try (Connection c = context.getBean(DuckDbStore.class).connection(); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE event_log SET properties = '{\"phone\":\"" + PHONE + "\",\"plan\":\"gold\"}'");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return null;
    });
  }

  private static OrderMessage order(String id, Identifier buyer) {
    return OrderMessage.builder(new OrderKey(Channel.NATIVE, "pii-shop", id), AT).status(OrderStatus.PAID, "PAID").paidFen(100L)
        .buyer(buyer).rawPayload("{\"orderId\":\"" + id + "\",\"buyer\":\"" + buyer.value() + "\"}").build();
  }

  /** Orders are found by their buyer's phone or e-mail and read back with their payloads. */
  private void assertOrdersReadable() {
    Jobs.withContext(dataDir.toString(), context -> {
      OrderQueries queries = context.getBean(OrderQueries.class);
      Orders orders = context.getBean(Orders.class);
      assertThat(context.getBean(DeadLetters.class).list(null, null, 0, 10)).singleElement()
          .satisfies(d -> assertThat(d.payload()).contains(PHONE));
      List<Identifier> buyers = List.of(Identifier.global(Identifier.PHONE, PHONE), Identifier.global(Identifier.EMAIL, "legacy@example.com"));
      for (int i = 0; i < buyers.size(); i++) {
        Identifier buyer = buyers.get(i);
        assertThat(queries.search(new OrderQueries.Filter(null, null, null, buyer, null, null), 0, 10).total()).isEqualTo(1);
        var order = orders.find(new OrderKey(Channel.NATIVE, "pii-shop", "PII-" + (i + 1))).orElseThrow();
        assertThat(order.buyers()).containsExactly(buyer);
        assertThat(order.rawPayload()).contains(buyer.value());
      }
      return null;
    });
  }

  /** The event is found by the phone (its keyed hash) and read back with the phone in clear. */
  private void assertEventReadable() {
    Jobs.withContext(dataDir.toString(), context -> {
      List<EventEnvelope> events = context.getBean(EventHistory.class).latest(List.of(Identifier.global(Identifier.PHONE, PHONE)), 10);
      assertThat(context.getBean(IngestQueries.class).deadLetters(null, 0, 10).items()).singleElement()
          .satisfies(d -> assertThat(d.raw()).contains(PHONE));
      assertThat(events).hasSize(1);
      assertThat(events.get(0).identifiers()).containsExactly(Identifier.global(Identifier.PHONE, PHONE));
      assertThat(events.get(0).properties()).containsEntry("phone", PHONE).containsEntry("plan", "gold");
      try (Connection c = context.getBean(DuckDbStore.class).connection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT identifiers || properties FROM event_log")) {
        rs.next();
        assertThat(rs.getString(1)).doesNotContain(PHONE.substring(3)).contains("gold");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return null;
    });
  }

  private List<String> stored(String sql) {
    return Jobs.withContext(dataDir.toString(), context -> context.getBean(JdbcClient.class).sql(sql).query(String.class).list());
  }

  /** What a reader sees after the rotation: traits, trait history, the outbox (matched by hash), codes. */
  private void assertStillReadable() {
    Jobs.withContext(dataDir.toString(), context -> {
      PiiCipher cipher = context.getBean(PiiCipher.class);
      Traits traits = context.getBean(Traits.class);
      assertThat(traits.list(PERSON, true)).extracting(Traits.TraitView::value).containsExactly("上海", "alice@example.org");
      assertThat(traits.changes(PERSON, 10, true)).extracting(Traits.ChangeView::value)
          .contains("alice@example.com", "alice@example.org");
      JdbcClient jdbc = context.getBean(JdbcClient.class);
      List<String> bodies = jdbc.sql("SELECT body_enc FROM message_outbox WHERE recipient_hash = ?")
          .param(cipher.keyedHash(PHONE)).query(String.class).list();
      assertThat(bodies).hasSize(1);
      assertThat(cipher.decrypt(bodies.get(0))).isEqualTo("your code is 123456");
      String recipient = jdbc.sql("SELECT recipient_enc FROM message_outbox").query(String.class).single();
      assertThat(cipher.decrypt(recipient)).isEqualTo(PHONE);
      return null;
    });
  }

  @Test
  void traits_their_history_and_outbox_messages_still_decrypt_and_match_after_a_rotation_and_without_the_old_key() throws Exception {
    storePersonalData();
    String oldKeyId = PiiCipher.keyIdOf(stored("SELECT value_enc FROM profile_trait WHERE value_enc IS NOT NULL").get(0));
    List<String> oldHashes = stored("SELECT recipient_hash FROM message_outbox");

    Cli.Run run = Cli.pond("pii", "rotate-key", "--no-progress", "--batch", "1", "--data-dir", dataDir.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("profile traits: 1 rows re-keyed", "profile trait history: 2 rows re-keyed",
        "message outbox: 1 rows re-keyed", "member center sign-in codes: 1 rows re-keyed",
        "commerce orders: 6 rows re-keyed", // two buyers, two payloads, one dead letter, one event batch
        "event log: 2 rows re-keyed"); // the event, the dead letter
    assertThat(stored("SELECT value_enc FROM commerce_order_buyer")).hasSize(2)
        .allSatisfy(v -> assertThat(PiiCipher.keyIdOf(v)).isNotEqualTo(oldKeyId));
    assertThat(stored("SELECT id_value FROM commerce_order_buyer")).allSatisfy(v -> assertThat(v).startsWith("h:"));
    assertThat(stored("SELECT raw_payload FROM commerce_order")).hasSize(2).allSatisfy(v -> assertThat(v).startsWith("z1:")
        .doesNotContain("legacy@example.com"));
    assertOrdersReadable();
    assertEventReadable();
    List<String> sealed = stored("SELECT value_enc FROM profile_trait WHERE value_enc IS NOT NULL"
        + " UNION ALL SELECT value_enc FROM profile_trait_change WHERE value_enc IS NOT NULL"
        + " UNION ALL SELECT recipient_enc FROM message_outbox UNION ALL SELECT body_enc FROM message_outbox");
    assertThat(sealed).hasSize(5).allSatisfy(v -> assertThat(PiiCipher.keyIdOf(v)).isNotEqualTo(oldKeyId));
    assertThat(stored("SELECT recipient_hash FROM message_outbox")).doesNotContainAnyElementsOf(oldHashes);
    assertThat(stored("SELECT phone_hash FROM member_otp")).as("live codes are invalidated").isEmpty();
    assertStillReadable();

    Files.write(keyFile, Files.readAllLines(keyFile).subList(0, 1)); // the old key can go
    assertStillReadable();
    assertOrdersReadable();
    assertEventReadable();
  }

  @Test
  void a_rotation_run_again_with_resume_changes_no_module_s_rows() {
    storePersonalData();
    assertThat(Cli.pond("pii", "rotate-key", "--no-progress", "--data-dir", dataDir.toString()).code()).isZero();
    List<String> after = stored("SELECT recipient_hash || recipient_enc || body_enc FROM message_outbox"
        + " UNION ALL SELECT value_enc FROM profile_trait_change WHERE value_enc IS NOT NULL");

    Cli.Run again = Cli.pond("pii", "rotate-key", "--resume", "--no-progress", "--data-dir", dataDir.toString());

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("profile traits: 0 rows re-keyed", "profile trait history: 0 rows re-keyed",
        "message outbox: 0 rows re-keyed", "loyalty connector secrets: 0 rows re-keyed", "commerce orders: 0 rows re-keyed",
        "event log: 0 rows re-keyed");
    assertThat(stored("SELECT recipient_hash || recipient_enc || body_enc FROM message_outbox"
        + " UNION ALL SELECT value_enc FROM profile_trait_change WHERE value_enc IS NOT NULL")).isEqualTo(after);
  }
}
