package dev.tandem.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Seeded property tests: one dynamic test per seed, the seeds drawn from a fixed source ({@code
 * -Dtandem.seeds=N} for more), or the one {@code -Dtandem.seed=SEED} names; a failure names its
 * seed, how to replay it, and the steps the run recorded.
 */
public final class Seeds {
  private Seeds() {}

  /** One seed's run, recording its steps for the failure message. */
  public interface Run {
    void run(long seed, List<String> steps) throws Throwable;
  }

  public static Stream<DynamicTest> tests(Class<?> test, int count, long source, Run run) {
    String one = System.getProperty("tandem.seed");
    LongStream seeds =
        one != null && !one.isEmpty()
            ? LongStream.of(Long.parseLong(one.trim()))
            : new SplittableRandom(source)
                .longs(Integer.getInteger("tandem.seeds", count), 1, Long.MAX_VALUE);
    return seeds.mapToObj(
        seed ->
            DynamicTest.dynamicTest(
                "seed " + seed,
                () -> {
                  List<String> steps = new ArrayList<>();
                  try {
                    run.run(seed, steps);
                  } catch (Throwable e) {
                    throw new AssertionError(
                        "seed "
                            + seed
                            + " failed (replay: -Dtest="
                            + test.getSimpleName()
                            + " -Dtandem.seed="
                            + seed
                            + ")"
                            + (steps.isEmpty() ? "" : "; steps: " + steps),
                        e);
                  }
                }));
  }
}
