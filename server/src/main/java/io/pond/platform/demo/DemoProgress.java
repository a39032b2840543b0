package io.pond.platform.demo;

/** How a {@link DemoContributor} reports progress: a total, then steps towards it. */
public interface DemoProgress {

  /** Sets (or corrects) the total, in the contributor's unit. */
  void total(long total, String unit);

  /** Moves the bar by {@code n}. */
  void advance(long n);

  /** A progress that shows nothing (tests, {@code --no-progress}). */
  DemoProgress SILENT =
      new DemoProgress() {
        @Override
        public void total(long total, String unit) {}

        @Override
        public void advance(long n) {}
      };
}
