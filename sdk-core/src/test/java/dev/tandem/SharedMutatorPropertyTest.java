package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.squareup.moshi.Moshi;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One app definition, two sides: the same mutators with random args make the same rows, under the
 * same keys, on the client (optimistically, through its encoding rules) and on the schema-driven
 * server (authoritatively, in its typed tables): after a flush and a pull, the rows the client got
 * from the server equal the ones it had made itself. Every column type, a {@code from()} table and
 * field, a compound key with a number, optional columns, upsert, update and delete.
 *
 * <p>Each seed is one test ({@link ConvergencePropertyTest}'s conventions): a failure names its
 * seed and its steps; replay one with
 *
 * <pre>
 * mvn -pl sdk-core test -Dtest=SharedMutatorPropertyTest -Dtandem.seed=SEED
 * </pre>
 *
 * and run more with {@code -Dtandem.seeds=500}.
 */
class SharedMutatorPropertyTest {
  static final int SEEDS = 30;
  static final long SEED_SOURCE = 0x5ea_7ed_c0de_0013L;

  static final Schema SCHEMA =
      Schema.builder()
          .version(1)
          .table(
              Table.named("item")
                  .from("inv.item")
                  .columns(
                      Column.string("group").from("grp"),
                      Column.number("n"),
                      Column.string("label"),
                      Column.bool("flag"),
                      Column.enumeration("size", "S", "M", "L").optional(),
                      Column.json("data").optional(),
                      Column.number("score").optional(),
                      Column.string("note").optional())
                  .primaryKey("group", "n"))
          .build();

  /** A row as args: a full row for {@code upsertItem}, some fields for {@code updateItem}. */
  static final class Item {
    String group;
    Double n;
    String label;
    Boolean flag;
    String size;
    Object data;
    Double score;
    String note;

    @Override
    public String toString() {
      return new Moshi.Builder().build().adapter(Item.class).toJson(this);
    }
  }

  static final Mutators MUTATORS =
      Mutators.builder()
          .add("upsertItem", Item.class, (tx, item) -> tx.table("item").upsert(item))
          .add("insertItem", Item.class, (tx, item) -> tx.table("item").insert(item))
          .add("updateItem", Item.class, (tx, item) -> tx.table("item").update(item))
          .add("deleteItem", Item.class, (tx, item) -> tx.table("item").delete(item))
          .build();

  static final AppDefinition APP =
      new AppDefinition() {
        @Override
        public Schema schema() {
          return SCHEMA;
        }

        @Override
        public Mutators mutators() {
          return MUTATORS;
        }
      };

  static final String[] GROUPS = {"a", "b", "ü", "x y", "Z"};
  static final String[] WORDS = {"", "milk", "\"quoted\"", "naïve", "emoji \uD83D\uDE00", "a\\b"};

  record Step(String mutator, Item args) {
    @Override
    public String toString() {
      return mutator + args;
    }
  }

  @TestFactory
  Stream<DynamicTest> theSameMutatorMakesTheSameRowOnClientAndServer() {
    return seeds().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> check(seed)));
  }

  static LongStream seeds() {
    return ConvergencePropertyTest.seeds(SEEDS, SEED_SOURCE);
  }

  /** A seed's mutations: upserts and inserts of new rows, updates and deletes of made ones. */
  static List<Step> steps(long seed) {
    Random random = new Random(seed);
    List<Step> steps = new ArrayList<>();
    List<Item> made = new ArrayList<>();
    int size = 1 + random.nextInt(10);
    for (int i = 0; i < size; i++) {
      int kind = made.isEmpty() ? 0 : random.nextInt(4);
      if (kind == 0 || kind == 1) {
        Item item = row(random);
        boolean taken = false;
        for (Item other : made) {
          taken |= other.group.equals(item.group) && other.n.equals(item.n);
        }
        steps.add(new Step(kind == 1 && !taken ? "insertItem" : "upsertItem", item));
        if (!taken) made.add(item);
      } else if (kind == 2) {
        Item existing = made.get(random.nextInt(made.size()));
        Item change = row(random);
        change.group = existing.group;
        change.n = existing.n;
        if (random.nextBoolean()) change.label = null;
        if (random.nextBoolean()) change.flag = null;
        steps.add(new Step("updateItem", change));
      } else {
        Item existing = made.remove(random.nextInt(made.size()));
        Item key = new Item();
        key.group = existing.group;
        key.n = existing.n;
        steps.add(new Step("deleteItem", key));
      }
    }
    return steps;
  }

  static Item row(Random random) {
    Item item = new Item();
    item.group = GROUPS[random.nextInt(GROUPS.length)];
    item.n = random.nextBoolean() ? (double) random.nextInt(20) - 5 : random.nextInt(40) / 4.0;
    item.label = WORDS[random.nextInt(WORDS.length)];
    item.flag = random.nextBoolean();
    if (random.nextBoolean()) item.size = new String[] {"S", "M", "L"}[random.nextInt(3)];
    if (random.nextBoolean()) item.data = json(random, 2);
    if (random.nextBoolean()) item.score = number(random);
    if (random.nextBoolean()) item.note = WORDS[random.nextInt(WORDS.length)];
    return item;
  }

  static double number(Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return random.nextInt(1000);
      case 1:
        return random.nextDouble() * 1e6 - 5e5;
      case 2:
        return Math.pow(10, random.nextInt(20)); // Whole numbers up to 1e19.
      default:
        return -random.nextInt(100) / 8.0;
    }
  }

  static Object json(Random random, int depth) {
    switch (depth == 0 ? random.nextInt(3) : random.nextInt(5)) {
      case 0:
        return WORDS[random.nextInt(WORDS.length)];
      case 1:
        return number(random);
      case 2:
        return random.nextBoolean();
      case 3:
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) list.add(json(random, depth - 1));
        return list;
      default:
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
          map.put(WORDS[random.nextInt(WORDS.length)] + i, json(random, depth - 1));
        }
        return map;
    }
  }

  static void check(long seed) {
    List<Step> steps = steps(seed);
    ConvergencePropertyTest.replayable("SharedMutatorPropertyTest", seed, steps, () -> run(steps));
  }

  static void run(List<Step> steps) throws Exception {
    Path directory = Files.createTempDirectory("tandem-shared");
    TestScheduler scheduler = new TestScheduler();
    try (StubServer server = new StubServer(directory, builder -> builder.app(APP))) {
      Tandem client =
          Tandem.builder()
              .app(APP)
              .databaseFile(new File(directory.toFile(), "client.db"))
              .serverUrl(server.url())
              .pokeUrl(null)
              .pullInterval(0)
              .scheduler(scheduler)
              .queryScheduler(Schedulers.trampoline())
              .auth(AuthProvider.of("user"))
              .build();
      try {
        ConvergencePropertyTest.settle(client.pull(), scheduler);
        for (Step step : steps) client.mutate(step.mutator(), step.args());
        Map<String, Object> optimistic = snapshot(client);
        ConvergencePropertyTest.settle(client.flush(), scheduler);
        ConvergencePropertyTest.settle(client.pull(), scheduler);
        assertEquals(0, client.pendingMutations().size(), "every mutation confirmed");
        assertEquals(optimistic, snapshot(client), "rows made by the client, then by the server");
      } finally {
        client.close();
      }
    } finally {
      ConvergencePropertyTest.deleteRecursively(directory);
    }
  }

  /** Every key with its value, and every row of the table as a query reads it. */
  static Map<String, Object> snapshot(Tandem client) throws Exception {
    Map<String, Object> snapshot = new TreeMap<>();
    for (KeyValue entry : client.query(tx -> tx.scan(ScanOptions.all()))) {
      snapshot.put("value " + entry.key(), entry.value());
    }
    for (Row row : client.query(Query.from("item"))) {
      snapshot.put("row " + row.key(), row.toMap());
    }
    return snapshot;
  }
}
