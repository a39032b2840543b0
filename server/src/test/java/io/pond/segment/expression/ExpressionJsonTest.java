package io.pond.segment.expression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pond.platform.errors.PondException;
import io.pond.segment.expression.domain.Expression;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpressionJsonTest {

  static final ExpressionJson.Vocabulary VOCABULARY = new ExpressionJson.Vocabulary() {
    @Override
    public boolean tagExists(String tag) {
      return List.of("vip", "aipl:loyal").contains(tag);
    }

    @Override
    public boolean segmentExists(String code) {
      return code.equals("buyers");
    }

    @Override
    public List<String> channelTypes(String channel) {
      return channel.equals("wechat") ? List.of("wechat_unionid", "wechat_openid") : List.of();
    }

    @Override
    public boolean propertyIndexed(String property) {
      return property.equals("category");
    }

    @Override
    public int maxDays() {
      return 400;
    }
  };

  static Expression parse(String json) {
    return ExpressionJson.parse(ExpressionJson.tree(json), "/expression", VOCABULARY);
  }

  static String fieldOf(String json) {
    try {
      parse(json);
    } catch (PondException e) {
      return e.field();
    }
    throw new AssertionError("accepted " + json);
  }

  @Test
  void every_kind_of_predicate_reads_into_its_node() {
    Expression e = parse("""
        {"and":[{"tag":"vip"},{"trait":"city","in":["上海","北京"]},{"metric":"spend_fen","gte":10000,"lte":50000},
                {"tier":["gold","platinum"],"program":"default"},{"channel":"wechat"},{"consent":"sms"},
                {"did":"product_viewed","where":{"category":["tea","coffee"]},"atLeast":3,"inLastDays":30},
                {"bought":"茶","inLastDays":90},{"segment":"buyers"},{"not":{"or":[{"tag":"aipl:loyal"}]}}]}""");
    assertThat(e).isEqualTo(new Expression.And(List.of(
        new Expression.HasTag("vip"),
        new Expression.Trait("city", List.of("上海", "北京")),
        new Expression.Metric("spend_fen", 10000L, 50000L),
        new Expression.Tier("default", List.of("gold", "platinum")),
        new Expression.Channel("wechat", List.of("wechat_unionid", "wechat_openid")),
        new Expression.Consent("sms"),
        new Expression.Did("product_viewed", "category", List.of("tea", "coffee"), 3, 30),
        new Expression.Bought("茶", 1, 90),
        new Expression.InSegment("buyers"),
        new Expression.Not(new Expression.Or(List.of(new Expression.HasTag("aipl:loyal")))))));
  }

  @Test
  void a_problem_names_the_offending_node_by_json_pointer() {
    assertThat(fieldOf("{\"and\":[{\"tag\":\"vip\"},{\"did\":\"view\",\"inLastDays\":0}]}")).isEqualTo("/expression/and/1/inLastDays");
    assertThat(fieldOf("{\"or\":[{\"tag\":\"vip\"},{\"tag\":\"nope\"}]}")).isEqualTo("/expression/or/1/tag");
    assertThat(fieldOf("{\"not\":{\"metric\":\"spend_fen\",\"gte\":5,\"lte\":1}}")).isEqualTo("/expression/not/lte");
    assertThat(fieldOf("{\"and\":[{\"did\":\"view\",\"where\":{\"colour\":\"red\"},\"inLastDays\":7}]}"))
        .isEqualTo("/expression/and/0/where/colour");
    assertThat(fieldOf("{\"tag\":\"vip\",\"trait\":\"city\"}")).isEqualTo("/expression");
    assertThat(fieldOf("{\"tag\":\"vip\",\"inLastDays\":3}")).isEqualTo("/expression/inLastDays");
    assertThat(fieldOf("{\"and\":[]}")).isEqualTo("/expression/and");
    assertThat(fieldOf("{\"channel\":\"fax\"}")).isEqualTo("/expression/channel");
    assertThat(fieldOf("{\"metric\":\"spend_fen\",\"gte\":1.5}")).isEqualTo("/expression/gte");
    assertThat(fieldOf("[1]")).isEqualTo("/expression");
  }

  @Test
  void a_stored_expression_reads_even_when_its_tags_are_gone() {
    assertThat(ExpressionJson.parseStored("{\"tag\":\"deleted\"}", VOCABULARY)).isEqualTo(new Expression.HasTag("deleted"));
    assertThatThrownBy(() -> parse("{\"tag\":\"deleted\"}")).isInstanceOf(PondException.class);
  }
}
