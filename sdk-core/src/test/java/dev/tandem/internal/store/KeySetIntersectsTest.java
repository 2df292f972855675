package dev.tandem.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tandem.protocol.KeyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link KeySet#intersects} on sets of keys and ranges, against a reference that tests every pair:
 * two sets meet if they share a key, a key of one lies in a range of the other, or two ranges
 * overlap. Seeded; a failure names its seed.
 */
class KeySetIntersectsTest {
  private static final String[] KEYS = {"", "a", "a/1", "a/2", "b", "b/1", "c", "c/x", "d"};

  static final class Drawn {
    final List<String> keys = new ArrayList<>();
    final List<String[]> ranges = new ArrayList<>();
    final KeySet set = KeySet.upTo(Integer.MAX_VALUE);

    Drawn(Random random) {
      int keyCount = random.nextInt(6);
      for (int i = 0; i < keyCount; i++) {
        String key = KEYS[random.nextInt(KEYS.length)];
        keys.add(key);
        set.addKey(key);
      }
      int rangeCount = random.nextInt(3) == 0 ? random.nextInt(3) : 0;
      for (int i = 0; i < rangeCount; i++) {
        String from = KEYS[random.nextInt(KEYS.length)];
        String to = random.nextInt(4) == 0 ? null : KEYS[random.nextInt(KEYS.length)];
        if (to != null && KeyOrder.compare(to, from) < 0) {
          String swap = to;
          to = from;
          from = swap;
        }
        ranges.add(new String[] {from, to});
        set.addRange(from, to);
      }
    }

    boolean inRange(String key) {
      for (String[] range : ranges) {
        if (KeyOrder.compare(key, range[0]) >= 0
            && (range[1] == null || KeyOrder.compare(key, range[1]) < 0)) {
          return true;
        }
      }
      return false;
    }
  }

  static boolean reference(Drawn a, Drawn b) {
    for (String key : a.keys) {
      if (b.keys.contains(key) || b.inRange(key)) return true;
    }
    for (String key : b.keys) {
      if (a.inRange(key)) return true;
    }
    for (String[] x : a.ranges) {
      for (String[] y : b.ranges) {
        boolean xBeforeYEnds = y[1] == null || KeyOrder.compare(x[0], y[1]) < 0;
        boolean yBeforeXEnds = x[1] == null || KeyOrder.compare(y[0], x[1]) < 0;
        if (xBeforeYEnds && yBeforeXEnds) return true;
      }
    }
    return false;
  }

  @Test
  void meetsExactlyWhereAKeyOrRangeMeets() {
    for (long seed = 1; seed <= 3000; seed++) {
      Random random = new Random(seed);
      Drawn a = new Drawn(random);
      Drawn b = new Drawn(random);
      boolean expected = reference(a, b);
      assertEquals(expected, a.set.intersects(b.set), "seed " + seed + " a into b");
      assertEquals(expected, b.set.intersects(a.set), "seed " + seed + " b into a");
    }
  }
}
