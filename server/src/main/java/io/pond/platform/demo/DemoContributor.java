package io.pond.platform.demo;

/**
 * A module's share of {@code pond demo}: a Spring bean that generates its data for the demo brand's
 * {@link DemoWorld} and loads it through the module's real paths (bulk import, event log, ledger…).
 * Contributors run in {@link #order()}; a later one may read what an earlier one stored (loyalty reads
 * the orders commerce loaded). Everything must follow from {@link DemoWorld#seed()}: the same seed
 * gives the same data.
 *
 * <p>Implement it in the module (e.g. {@code io.pond.loyalty.demo.DemoPoints}); the platform finds
 * every bean of this type.
 */
public interface DemoContributor {

  /** Orders of the modules shipped with Pond; leave gaps for new ones. */
  int ORDERS = 100;
  int EVENTS = 200;
  int LOYALTY = 300;

  /** What it loads, shown with its progress bar ({@code orders}, {@code events}). */
  String name();

  /** When it runs: lower first. */
  int order();

  /** How many rows of its kind the store holds already; the demo refuses a store where any is non-zero. */
  long existing();

  /** Generates and loads its data, reporting progress in units of its choice. */
  void load(DemoWorld world, DemoProgress progress);

  /**
   * Work still queued downstream of what it loaded (listeners, event-log consumers); the demo waits
   * until every contributor answers 0, so that the newcomer sees merged persons, not a backlog.
   */
  default long pending() {
    return 0;
  }
}
