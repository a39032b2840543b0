package io.pond.segment.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * V138 moves a store's trait, metric and consent facts (one row each) and paid-order counts (one row per
 * category and day) into one row per person, in the form {@link ProfileFacts} reads, and leaves tiers,
 * identifier types and behaviour counts where they were.
 */
class SegmentProfileMigrationTest {

  @Test
  void metric_facts_of_an_older_store_become_one_row_per_person() {
    String url = "jdbc:h2:mem:v138-" + UUID.randomUUID()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    SingleConnectionDataSource ds = new SingleConnectionDataSource(url, "sa", "", true);
    try {
      Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("137").load().migrate();
      JdbcClient jdbc = JdbcClient.create(ds);
      String insert = "INSERT INTO segment_fact (person_id, kind, name, fact_value) VALUES (?, ?, ?, ?)";
      jdbc.sql(insert).params(7, "metric", "spend_fen", "12000").update();
      jdbc.sql(insert).params(7, "metric", "order_count", "2").update();
      jdbc.sql(insert).params(7, "trait", "city", "上海").update();
      jdbc.sql(insert).params(7, "consent", "sms", "true").update();
      jdbc.sql(insert).params(9, "metric", "rfm_r", "5").update();
      jdbc.sql(insert).params(9, "tier", "main", "L2").update();
      jdbc.sql(insert).params(11, "idtype", "phone", "true").update();
      String daily = "INSERT INTO segment_daily (person_id, kind, counted, epoch_day, times) VALUES (?, ?, ?, ?, ?)";
      jdbc.sql(daily).params(7, "bought", "*", 20_250, 1).update();
      jdbc.sql(daily).params(7, "bought", "*", 20_260, 2).update();
      jdbc.sql(daily).params(7, "bought", "护肤", 20_250, 1).update();
      jdbc.sql(daily).params(13, "bought", "*", 20_300, 1).update();
      jdbc.sql(daily).params(13, "did", "view", 20_300, 4).update();

      Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

      Map<Integer, String> rows = jdbc.sql("SELECT person_id, facts FROM segment_profile ORDER BY person_id")
          .query(rs -> {
            Map<Integer, String> out = new java.util.LinkedHashMap<>();
            while (rs.next()) {
              out.put(rs.getInt(1), rs.getString(2));
            }
            return out;
          });
      assertThat(rows).containsExactly(
          Map.entry(7, "t4:city2:上海m11:order_count1:2m9:spend_fen5:12000c3:sms4:trueb1:*15:20250=1,20260=2b2:护肤7:20250=1"),
          Map.entry(9, "m5:rfm_r1:5"),
          Map.entry(13, "b1:*7:20300=1"));
      ProfileFacts seven = ProfileFacts.decode(rows.get(7));
      assertThat(seven.encode()).as("what Facts writes").isEqualTo(rows.get(7));
      assertThat(seven.metrics).isEqualTo(Map.of("order_count", 2L, "spend_fen", 12000L));
      assertThat(jdbc.sql("SELECT kind FROM segment_fact ORDER BY person_id").query(String.class).list())
          .containsExactly("tier", "idtype");
      assertThat(jdbc.sql("SELECT kind FROM segment_daily").query(String.class).list()).containsExactly("did");
    } finally {
      ds.destroy();
    }
  }
}
