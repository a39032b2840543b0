package io.pond.profile.config;

import io.pond.platform.pii.PersonalTraits;
import io.pond.profile.metrics.domain.ClvModel;
import io.pond.profile.metrics.domain.RfmScoring;
import io.pond.profile.trait.domain.TraitPrecedence;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the profile module ({@code pond.profile.*}; see docs/profile.md). Validated at start-up:
 * a bad value fails the start with a message naming the setting.
 *
 * @param traitSources trait sources, highest precedence first
 * @param piiTraits trait names that are personal data: stored encrypted, masked, erased (default
 *     {@link PersonalTraits#DEFAULTS}; events' properties and traits under these names are sealed too)
 * @param rfm RFM scoring: {@code thresholds} (fixed cut points below) or {@code quintiles} (the
 *     population's, recomputed by the profile job; the thresholds apply until they are first computed)
 * @param clv the CLV estimate's parameters
 * @param jobInterval how often the server recomputes RFM cut points and every person's date-dependent
 *     metrics (recency, RFM, CLV move with the calendar)
 */
@ConfigurationProperties("pond.profile")
public record ProfileProperties(
    @DefaultValue({"operator", "member", "crm_import", "channel", "event"}) List<String> traitSources,
    List<String> piiTraits,
    @DefaultValue Rfm rfm,
    @DefaultValue Clv clv,
    @DefaultValue("24h") Duration jobInterval) {

  public ProfileProperties {
    try {
      new TraitPrecedence(traitSources);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pond.profile.trait-sources: " + e.getMessage(), e);
    }
    piiTraits = piiTraits == null ? PersonalTraits.DEFAULTS : List.copyOf(piiTraits);
    if (jobInterval.isNegative() || jobInterval.isZero()) {
      throw new IllegalArgumentException("pond.profile.job-interval must be positive");
    }
  }

  public TraitPrecedence precedence() {
    return new TraitPrecedence(traitSources);
  }

  /** Which trait names are personal ({@link PersonalTraits}: case, separators and suffix names). */
  public PersonalTraits personalTraits() {
    return PersonalTraits.of(piiTraits);
  }

  /** @param mode {@code thresholds} or {@code quintiles} */
  public record Rfm(
      @DefaultValue("thresholds") String mode,
      @DefaultValue({"30", "90", "180", "365"}) List<Long> recencyDays,
      @DefaultValue({"2", "3", "5", "8"}) List<Long> frequency,
      @DefaultValue({"10000", "30000", "100000", "300000"}) List<Long> monetaryFen) {

    public Rfm {
      if (!mode.equals("thresholds") && !mode.equals("quintiles")) {
        throw new IllegalArgumentException("pond.profile.rfm.mode must be thresholds or quintiles, not '" + mode + "'");
      }
      try {
        thresholds(recencyDays, frequency, monetaryFen);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pond.profile.rfm: " + e.getMessage(), e);
      }
    }

    public boolean quintiles() {
      return mode.equals("quintiles");
    }

    public RfmScoring thresholds() {
      return thresholds(recencyDays, frequency, monetaryFen);
    }

    private static RfmScoring thresholds(List<Long> r, List<Long> f, List<Long> m) {
      return new RfmScoring(longs(r), longs(f), longs(m));
    }

    private static long[] longs(List<Long> values) {
      return values == null ? null : values.stream().mapToLong(Long::longValue).toArray();
    }
  }

  public record Clv(@DefaultValue("3") int horizonYears, @DefaultValue("0.6") double retention, @DefaultValue("365") int churnDays) {
    public Clv {
      try {
        new ClvModel(horizonYears, retention, churnDays);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pond.profile.clv: " + e.getMessage(), e);
      }
    }

    public ClvModel model() {
      return new ClvModel(horizonYears, retention, churnDays);
    }
  }
}
