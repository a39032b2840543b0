package io.pond.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.pond.identity.PersonId;
import io.pond.identity.Persons;
import io.pond.ingest.log.EventLog;
import io.pond.platform.Identifier;
import io.pond.platform.cli.Jobs;
import io.pond.platform.pii.PiiCipher;
import io.pond.support.Cli;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code pond demo} at 2,000 persons: the brand it loads has the shape a newcomer should see. */
@ExtendWith(Cli.class)
class DemoCommandTest {

  @TempDir Path dir;

  @Test
  void the_demo_loads_a_brand_with_merged_persons_two_years_of_orders_refunds_and_events_and_refuses_a_second_load() {
    Cli.Run run = Cli.pond("demo", "--persons", "2000", "--seed", "7", "--no-progress", "--data-dir", dir.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Demo brand: 2,000 persons, seed 7").contains("Loaded in");

    DemoWorld world = new DemoWorld(2000, 7, LocalDate.now(ZoneId.of("Asia/Shanghai")), ZoneId.of("Asia/Shanghai"));
    // the same persons the command generated (the command's world ends today in the brand's zone)
    Jobs.withContext(dir.toString(), context -> {
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      long orders = jdbc.queryForObject("SELECT count(*) FROM commerce_order", Long.class);
      assertThat(orders).as("about 1.6 orders per person").isBetween(2_000L, 6_000L);
      assertThat(jdbc.queryForObject("SELECT count(DISTINCT channel) FROM commerce_order", Long.class)).isEqualTo(5);
      long spanDays = jdbc.queryForObject("SELECT min(created_at), max(created_at) FROM commerce_order",
          (rs, n) -> java.time.Duration.between(rs.getObject(1, java.time.OffsetDateTime.class), rs.getObject(2, java.time.OffsetDateTime.class)).toDays());
      assertThat(spanDays).as("orders spread over two years").isBetween(600L, 731L);
      assertThat(jdbc.queryForObject("SELECT count(*) FROM commerce_refund WHERE state = 'REFUNDED'", Long.class))
          .as("refunds").isGreaterThan(orders / 50);
      assertThat(jdbc.queryForObject("SELECT count(*) FROM commerce_order WHERE status = 'CANCELLED'", Long.class)).isPositive();
      assertThat(context.getBean(EventLog.class).count()).as("behaviour events").isGreaterThan(2_000L);

      // Every buyer id that came with a phone on an order is the phone's person: channel ids merged.
      Persons persons = context.getBean(Persons.class);
      PiiCipher cipher = context.getBean(PiiCipher.class);
      java.util.Map<String, java.util.Set<String>> channelsByPhone = new java.util.HashMap<>();
      java.util.Map<String, java.util.Set<Optional<PersonId>>> personsByPhone = new java.util.HashMap<>();
      jdbc.query(
          "SELECT b.id_type, b.id_scope, coalesce(b.value_enc, b.id_value), b.value_enc IS NOT NULL, p.value_enc FROM commerce_order_buyer b"
              + " JOIN commerce_order_buyer p ON p.order_id = b.order_id AND p.id_type = 'phone' WHERE b.id_type <> 'phone'",
          rs -> {
            String phone = cipher.decrypt(rs.getString(5)); // phones and e-mails are sealed at rest
            String buyerId = rs.getBoolean(4) ? cipher.decrypt(rs.getString(3)) : rs.getString(3);
            channelsByPhone.computeIfAbsent(phone, k -> new java.util.HashSet<>()).add(rs.getString(1));
            personsByPhone.computeIfAbsent(phone, k -> new java.util.HashSet<>(java.util.Set.of(persons.personOf(Identifier.global("phone", phone)))))
                .add(persons.personOf(new Identifier(rs.getString(1), rs.getString(2), buyerId)));
          });
      assertThat(personsByPhone).isNotEmpty();
      personsByPhone.forEach((phone, ps) -> assertThat(ps).as("persons of %s and its buyer ids", phone).hasSize(1).doesNotContain(Optional.empty()));
      long acrossChannels = channelsByPhone.values().stream().filter(c -> c.size() >= 2).count();
      assertThat(acrossChannels).as("persons merged across two or more sales channels").isGreaterThan(20);

      int anonymous = 0;
      for (int i = 0; i < world.persons(); i++) {
        DemoPerson p = world.person(i);
        if (p.web() && !p.webLogin() && !p.wechat() && !p.buys()) {
          Optional<PersonId> visitor = persons.personOf(Identifier.global(Identifier.COOKIE_ID, p.webAnonymousId()));
          assertThat(visitor).as("anonymous visitor %d", i).isPresent();
          assertThat(persons.identifiersOf(visitor.get())).hasSize(1);
          anonymous++;
        }
      }
      assertThat(anonymous).as("anonymous web visitors").isGreaterThan(20);
      return null;
    });

    Cli.Run again = Cli.pond("demo", "--persons", "10", "--no-progress", "--data-dir", dir.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already holds data").contains("orders: ");
  }
}
