package dev.tandem.internal.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.internal.store.Entry;
import dev.tandem.internal.store.KeySet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A memo's scans patched with changes: the window it answers, and where it must refuse. */
class ReadMemoTest {
  static final ReadMemo.Keys PLAIN = key -> !key.startsWith("t/");

  static List<Entry> entries(String... keys) {
    List<Entry> list = new ArrayList<>();
    for (String key : keys) list.add(new Entry(key, "1"));
    return list;
  }

  static List<String> keys(List<Entry> entries) {
    List<String> keys = new ArrayList<>();
    for (Entry entry : entries) keys.add(entry.key);
    return keys;
  }

  static KeySet change(String key, String json) {
    KeySet set = new KeySet();
    set.addChange(key, json);
    return set;
  }

  /** A scan of "k/" with limit 2, recorded as a run reads it: the window and two past it. */
  static ReadMemo cut() {
    ReadMemo memo = new ReadMemo();
    memo.recordScan("k/", false, "k0", 2, entries("k/a", "k/b", "k/c", "k/d"));
    return memo;
  }

  @Test
  void aDeletionInTheWindowMovesTheNextKnownEntryUp() {
    ReadMemo memo = cut();
    assertTrue(memo.apply(change("k/a", null), PLAIN));
    assertEquals(java.util.Arrays.asList("k/b", "k/c"), keys(memo.scan("k/", false, "k0", 2)));
  }

  @Test
  void aPutPastWhatIsKnownIsNotTakenForTheNextEntry() {
    ReadMemo memo = cut();
    assertTrue(memo.apply(change("k/d", null), PLAIN)); // Known now: a, b, c.
    assertTrue(memo.apply(change("k/z", "2"), PLAIN)); // Past c: the range may hold e before it.
    assertTrue(memo.apply(change("k/a", null), PLAIN)); // Window b, c.
    assertEquals(java.util.Arrays.asList("k/b", "k/c"), keys(memo.scan("k/", false, "k0", 2)));
    // Known: c alone, fewer than the limit, and what follows it is not known.
    assertFalse(memo.apply(change("k/b", null), PLAIN));
  }

  @Test
  void aPutInsideWhatIsKnownEntersTheWindowAndPushesTheLastOut() {
    ReadMemo memo = cut();
    assertTrue(memo.apply(change("k/aa", "2"), PLAIN));
    assertEquals(java.util.Arrays.asList("k/a", "k/aa"), keys(memo.scan("k/", false, "k0", 2)));
  }

  @Test
  void aRangeReadToItsEndTakesEveryChange() {
    ReadMemo memo = new ReadMemo();
    memo.recordScan("k/", false, "k0", 5, entries("k/a", "k/b"));
    assertTrue(memo.apply(change("k/z", "2"), PLAIN));
    assertTrue(memo.apply(change("k/a", null), PLAIN));
    assertTrue(memo.apply(change("k/b", null), PLAIN));
    assertEquals(java.util.Arrays.asList("k/z"), keys(memo.scan("k/", false, "k0", 5)));
  }

  @Test
  void refusesATableKeyInARecordedReadAndUnknownValues() {
    ReadMemo memo = new ReadMemo();
    memo.recordScan("", false, null, 10, entries("k/a"));
    assertFalse(memo.apply(change("t/1", "{}"), PLAIN));
    ReadMemo other = new ReadMemo();
    other.recordGet("k/a", "1");
    KeySet unknown = new KeySet();
    unknown.addKey("k/a");
    assertFalse(other.apply(unknown, PLAIN));
    assertThrows(ReadMemo.Miss.class, () -> other.get("k/b"));
    assertThrows(ReadMemo.Miss.class, () -> other.scan("k/", false, "k0", 2));
  }
}
