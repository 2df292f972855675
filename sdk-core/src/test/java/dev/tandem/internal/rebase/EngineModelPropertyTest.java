package dev.tandem.internal.rebase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import dev.tandem.Column;
import dev.tandem.KeyValue;
import dev.tandem.MutationException;
import dev.tandem.Mutators;
import dev.tandem.ScanOptions;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.WriteTransaction;
import dev.tandem.internal.Engine;
import dev.tandem.internal.Seeds;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.store.Pending;
import dev.tandem.internal.store.StoreVersionThree;
import dev.tandem.protocol.Cookie;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import okio.Buffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine (mutations, {@link PullApplier}'s prepared and streamed pulls, restarts, a new client
 * group, a new schema version and the abandon of an older one's mutations) against a model, on a
 * real SQLite file: after every step the client view is the last pulled server state with every
 * pending mutation run again on it in queue order, and the queue holds exactly the model's pending
 * mutations. The mutators put a key twice, delete then put, put then delete, read what they write,
 * throw after a put, or throw when a key exists (so a replay may fail); mutations are also made
 * between a pull's preparation and its write lock, with or without another write there. Pulls
 * confirm a queue prefix of several clients (some refused by the server: confirmed without their
 * effect, and reported), patch with echoes, keys out of order, a key put twice, a clear, now and
 * then over a thousand keys (batches, the streamed pipeline), and now and then are malformed and
 * roll back.
 *
 * <p>Each seed is one test; a failure names its seed and steps: run one with {@code
 * -Dtest=EngineModelPropertyTest -Dtandem.seed=SEED}, more with {@code -Dtandem.seeds=N}.
 */
class EngineModelPropertyTest {
  static final int SEEDS = 100;

  static final String[] PLAIN = {"p/a", "p/b", "p/c"};
  static final String[] TASKS = {"t1", "t2"};

  /** How many keys a bulk write may touch. */
  static final int BULK = 1500;

  static final JsonAdapter<Object> JSON = new Moshi.Builder().build().adapter(Object.class);

  @TempDir Path directory;

  @TestFactory
  Stream<DynamicTest> theViewIsTheServerStateWithPendingMutationsRunAgain() {
    return Seeds.tests(
        EngineModelPropertyTest.class,
        SEEDS,
        0x5eed_0f_e1_9e_1L,
        (seed, steps) -> {
          Run run = new Run(new File(directory.toFile(), "model-" + seed + ".db"), seed);
          try {
            run.run();
          } finally {
            steps.addAll(run.steps);
            run.close();
          }
        });
  }

  static Schema schema() {
    return Schema.builder()
        .version(1)
        .table(
            Table.named("task")
                .columns(Column.string("id"), Column.string("title"))
                .primaryKey("id"))
        .build();
  }

  /** What a mutator sees: the real write transaction, or the model's map. */
  interface Ops {
    Object get(String key);

    void put(String key, Object value);

    void del(String key);

    void insertTask(String id, String title);

    void upsertTask(String id, String title);
  }

  static Map<String, Object> row(String id, String title) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("title", title);
    return row;
  }

  /** The mutators, written once for both sides. {@code arg} is "a|b". */
  static void mutator(String name, String arg, Ops tx) {
    String[] parts = arg.split("\\|", -1);
    String a = parts[0];
    String b = parts[1];
    switch (name) {
      case "set":
        tx.put(a, b);
        break;
      case "twice":
        tx.put(a, b + "-first");
        tx.put(a, b);
        break;
      case "delPut":
        tx.del(a);
        tx.put(a, b);
        break;
      case "putDel":
        tx.put(a, b);
        tx.del(a);
        break;
      case "del":
        tx.del(a);
        break;
      case "copy":
        {
          Object value = tx.get(a);
          if (value == null) {
            tx.del(b);
          } else {
            tx.put(b, value);
          }
          break;
        }
      case "append":
        {
          Object value = tx.get(a);
          tx.put(a, (value instanceof String ? (String) value : "") + b);
          break;
        }
      case "failAfter":
        tx.put(a, b);
        throw new IllegalStateException("refused after a put");
      case "ifAbsent":
        if (tx.get(a) != null) throw new IllegalStateException(a + " exists");
        tx.put(a, b);
        break;
      case "addTask":
        tx.insertTask(a, b);
        break;
      case "upsertTask":
        tx.upsertTask(a, b);
        break;
      case "delThenAddTask":
        tx.del("task/" + a);
        tx.insertTask(a, b);
        break;
      default:
        throw new AssertionError(name);
    }
  }

  static final String[] NAMES = {
    "set",
    "twice",
    "delPut",
    "putDel",
    "del",
    "copy",
    "append",
    "failAfter",
    "ifAbsent",
    "addTask",
    "upsertTask",
    "delThenAddTask"
  };

  static Mutators.Builder mutators() {
    Mutators.Builder mutators = Mutators.builder();
    for (String name : NAMES) {
      mutators.add(name, String.class, (tx, arg) -> mutator(name, arg, real(tx)));
    }
    return mutators;
  }

  static Ops real(WriteTransaction tx) {
    return new Ops() {
      @Override
      public Object get(String key) {
        return tx.get(key);
      }

      @Override
      public void put(String key, Object value) {
        tx.put(key, value);
      }

      @Override
      public void del(String key) {
        tx.del(key);
      }

      @Override
      public void insertTask(String id, String title) {
        tx.table("task").insert(row(id, title));
      }

      @Override
      public void upsertTask(String id, String title) {
        tx.table("task").upsert(row(id, title));
      }
    };
  }

  static Ops model(Map<String, Object> view) {
    return new Ops() {
      @Override
      public Object get(String key) {
        return view.get(key);
      }

      @Override
      public void put(String key, Object value) {
        view.put(key, value);
      }

      @Override
      public void del(String key) {
        view.remove(key);
      }

      @Override
      public void insertTask(String id, String title) {
        if (view.containsKey("task/" + id)) throw new IllegalStateException("exists");
        view.put("task/" + id, row(id, title));
      }

      @Override
      public void upsertTask(String id, String title) {
        view.put("task/" + id, row(id, title));
      }
    };
  }

  /** {@code name} run on {@code view} as a savepoint would: no effect if it throws. */
  static boolean runOn(Map<String, Object> view, String name, String arg) {
    Map<String, Object> copy = new TreeMap<>(view);
    try {
      mutator(name, arg, model(copy));
    } catch (IllegalStateException e) {
      return false;
    }
    view.clear();
    view.putAll(copy);
    return true;
  }

  /** A pending mutation in the model. */
  static final class Mutation {
    String clientID;
    long id;
    final String name;
    final String arg;
    final String version;

    Mutation(String clientID, long id, String name, String arg, String version) {
      this.clientID = clientID;
      this.id = id;
      this.name = name;
      this.arg = arg;
      this.version = version;
    }

    @Override
    public String toString() {
      return clientID.substring(0, 4) + "#" + id + " " + name + "(" + arg + ")@" + version;
    }
  }

  static final class Run {
    final File file;
    final Random random;
    final List<String> steps = new ArrayList<>();

    SqlDriver driver;
    Engine engine;
    int version = 1;

    /** The server's data, and what it confirmed per client. */
    final Map<String, Object> server = new TreeMap<>();

    final Map<String, Long> serverConfirmed = new HashMap<>();
    int serverCookie;

    /** The client's last pulled state and cookie; its pending mutations in queue order. */
    Map<String, Object> snapshot = new TreeMap<>();

    Cookie cookie = Cookie.NULL;
    final List<Mutation> pending = new ArrayList<>();

    /** The newest queue position seen since the store opened: a new one must be past it. */
    long newestSeq;

    int values;

    Run(File file, long seed) {
      this.file = file;
      this.random = new Random(seed);
    }

    void open(String schemaVersion) {
      driver = new JdbcSqlDriver(file, false);
      engine =
          Engine.open(driver, schema(), schemaVersion, mutators(), (table, key, json, p) -> {});
      newestSeq = engine.store.lastPendingSeq();
    }

    void close() {
      if (engine != null) engine.store.close();
      engine = null;
    }

    void run() throws Exception {
      open("1");
      int count = 30 + random.nextInt(50);
      for (int i = 0; i < count; i++) {
        int what = random.nextInt(100);
        if (what < 45) {
          mutate();
        } else if (what < 80) {
          pull();
        } else if (what < 86) {
          restart();
        } else if (what < 89) {
          newGroup();
        } else if (what < 92) {
          newVersion();
        } else if (what < 95) {
          abandon();
        } else {
          brokenPull();
        }
        check();
      }
      // Everything confirmed with nothing changed: every key back to the server's value.
      steps.add("confirm all");
      pullWith(pending.size(), false, false, 0);
      check();
      assertEquals(server, snapshot);
    }

    String value() {
      return "v" + (values++);
    }

    String randomArg(String name) {
      switch (name) {
        case "addTask":
        case "upsertTask":
        case "delThenAddTask":
          return TASKS[random.nextInt(TASKS.length)] + "|" + value();
        case "copy":
          return plain() + "|" + plain();
        default:
          {
            String key =
                random.nextInt(5) == 0 ? "task/" + TASKS[random.nextInt(TASKS.length)] : plain();
            if (name.equals("append")) key = plain();
            return key + "|" + value();
          }
      }
    }

    /** A new mutation, made on the view the model expects now. */
    void mutate() {
      String name = NAMES[random.nextInt(NAMES.length)];
      String arg = randomArg(name);
      steps.add("mutate " + name + "(" + arg + ")");
      boolean runs = runOn(expected(), name, arg);
      if (!runs) {
        assertThrows(MutationException.class, () -> engine.mutate(name, arg, 0));
        return;
      }
      long id = engine.mutate(name, arg, 0);
      pending.add(
          new Mutation(engine.store.clientID(), id, name, arg, engine.store.schemaVersion()));
      long seq = engine.store.lastPendingSeq();
      assertTrue(seq > newestSeq, "position " + seq + " reused (newest was " + newestSeq + ")");
      newestSeq = seq;
    }

    Map<String, Object> expected() {
      Map<String, Object> view = new TreeMap<>(snapshot);
      for (Mutation mutation : pending) runOn(view, mutation.name, mutation.arg);
      return view;
    }

    void pull() throws Exception {
      int confirm = random.nextInt(pending.size() + 1);
      boolean streamed = random.nextInt(3) == 0;
      int during = streamed ? 0 : random.nextInt(3) == 0 ? 1 + random.nextInt(2) : 0;
      pullWith(confirm, streamed, random.nextInt(6) == 0, during);
    }

    /**
     * The server receives the first {@code confirm} pending mutations (refusing some), others
     * change its data, and the client pulls; {@code during} mutations are made between the
     * preparation and the write lock.
     */
    void pullWith(int confirm, boolean streamed, boolean othersWrite, int during) throws Exception {
      steps.add(
          "pull confirm="
              + confirm
              + (streamed ? " streamed" : "")
              + (othersWrite ? " others" : "")
              + (during > 0 ? " during=" + during : ""));
      Map<String, Long> changes = new LinkedHashMap<>();
      List<String> refused = new ArrayList<>();
      for (int i = 0; i < confirm; i++) {
        Mutation mutation = pending.get(i);
        // Refused now and then: confirmed without its effect, and said so.
        if (random.nextInt(8) == 0 || !runOn(server, mutation.name, mutation.arg)) {
          refused.add(mutation.clientID + "#" + mutation.id);
        }
        serverConfirmed.put(mutation.clientID, mutation.id);
        changes.put(mutation.clientID, mutation.id);
      }
      if (othersWrite || confirm == 0 && random.nextBoolean()) othersWrite();
      // Now and then an unchanged confirmation is repeated.
      for (Map.Entry<String, Long> known : serverConfirmed.entrySet()) {
        if (random.nextInt(4) == 0) changes.put(known.getKey(), known.getValue());
      }
      serverCookie++;
      String body = body(patch(), changes, refused);
      List<Mutation> confirmed = new ArrayList<>(pending.subList(0, confirm));
      Map<String, Object> before = expected();
      boolean otherWrite = !streamed && random.nextInt(5) == 0;
      if (otherWrite) steps.add("  during: another write");
      if (during > 0 || otherWrite) {
        engine.applier.beforeWrite(
            () -> {
              // A write that is not a new mutation: the pull plans again under the lock.
              if (otherWrite) engine.store.setMeta("note", "x");
              for (int i = 0; i < during; i++) mutateDuring(before);
            });
      }
      PullApplier.Outcome outcome;
      try {
        outcome = engine.applier.apply(new Buffer().writeUtf8(body), cookie, streamed);
      } finally {
        engine.applier.beforeWrite(() -> {});
      }
      assertEquals(PullApplier.Outcome.Kind.APPLIED, outcome.kind, body);
      List<String> told = new ArrayList<>();
      for (dev.tandem.RefusedMutation refusal : outcome.refused) {
        told.add(refusal.mutation().clientID() + "#" + refusal.mutation().id());
      }
      assertEquals(refused, told, "the refusals reported");
      pending.removeAll(confirmed);
      snapshot = new TreeMap<>(server);
      cookie = Cookie.of(serverCookie);
    }

    /** A mutation made while a pull waits for the write lock: on the view before the pull. */
    void mutateDuring(Map<String, Object> before) {
      String name = NAMES[random.nextInt(NAMES.length)];
      String arg = randomArg(name);
      steps.add("  during " + name + "(" + arg + ")");
      if (!runOn(before, name, arg)) {
        assertThrows(MutationException.class, () -> engine.mutate(name, arg, 0));
        return;
      }
      long id = engine.mutate(name, arg, 0);
      pending.add(
          new Mutation(engine.store.clientID(), id, name, arg, engine.store.schemaVersion()));
    }

    /** A plain key: one of a few, or now and then one of many (after a bulk write). */
    String plain() {
      return random.nextInt(8) == 0
          ? String.format("q/%04d", random.nextInt(BULK))
          : PLAIN[random.nextInt(PLAIN.length)];
    }

    /** Other clients change the server's data; now and then many keys (batches, a pipeline). */
    void othersWrite() {
      if (random.nextInt(12) == 0) {
        int from = random.nextInt(BULK);
        int count = 500 + random.nextInt(BULK);
        for (int i = 0; i < count; i++) {
          String key = String.format("q/%04d", (from + i) % BULK);
          if (random.nextInt(10) == 0) {
            server.remove(key);
          } else {
            server.put(key, "b" + value());
          }
        }
      }
      int changes = 1 + random.nextInt(3);
      for (int i = 0; i < changes; i++) {
        if (random.nextBoolean()) {
          String key = PLAIN[random.nextInt(PLAIN.length)];
          if (random.nextInt(3) == 0) {
            server.remove(key);
          } else {
            server.put(key, "s" + value());
          }
        } else {
          String id = TASKS[random.nextInt(TASKS.length)];
          int kind = random.nextInt(4);
          if (kind == 0) {
            server.remove("task/" + id);
          } else if (kind == 1) {
            server.put("task/" + id, "odd"); // A value that does not fit the table.
          } else {
            server.put("task/" + id, row(id, "s" + value()));
          }
        }
      }
    }

    /** The patch from the client's snapshot to the server's data, in one of several shapes. */
    List<String> patch() {
      List<String> ops = new ArrayList<>();
      Set<String> keys = new TreeSet<>(snapshot.keySet());
      keys.addAll(server.keySet());
      boolean clear = cookie.equals(Cookie.NULL) || random.nextInt(10) == 0;
      if (clear) {
        ops.add(op("clear", null, null));
        for (Map.Entry<String, Object> entry : server.entrySet()) {
          ops.add(op("put", entry.getKey(), entry.getValue()));
        }
      } else {
        for (String key : keys) {
          Object was = snapshot.get(key);
          Object now = server.get(key);
          boolean same = was == null ? now == null : was.equals(now);
          if (!same || random.nextInt(5) == 0) { // Echoes too.
            if (now == null) {
              ops.add(op("del", key, null));
            } else {
              if (random.nextInt(8) == 0) ops.add(op("put", key, "junk")); // Put twice.
              ops.add(op("put", key, now));
            }
          }
        }
      }
      if (random.nextBoolean()) {
        // Out of order, each key's operations still in their order (a clear stays first).
        List<String> shuffled = new ArrayList<>(ops.subList(clear ? 1 : 0, ops.size()));
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String op : shuffled) byKey.computeIfAbsent(keyOf(op), k -> new ArrayList<>()).add(op);
        List<String> order = new ArrayList<>(byKey.keySet());
        Collections.shuffle(order, random);
        List<String> out = new ArrayList<>(clear ? ops.subList(0, 1) : Collections.emptyList());
        for (String key : order) out.addAll(byKey.get(key));
        ops = out;
      }
      return ops;
    }

    static String keyOf(String op) {
      int at = op.indexOf("\"key\":\"");
      int end = op.indexOf('"', at + 7);
      return op.substring(at + 7, end);
    }

    String op(String op, String key, Object value) {
      List<String> members = new ArrayList<>();
      members.add("\"op\":\"" + op + "\"");
      if (key != null) members.add("\"key\":\"" + key + "\"");
      if (value != null) members.add("\"value\":" + JSON.toJson(value));
      if (random.nextInt(10) == 0) members.add("\"extra\":[1,{\"x\":null}]");
      if (random.nextInt(4) == 0) Collections.shuffle(members, random); // "op" last, say.
      String gap = random.nextInt(10) == 0 ? " \n" : "";
      return "{" + gap + String.join("," + gap, members) + gap + "}";
    }

    String body(List<String> ops, Map<String, Long> changes, List<String> refused) {
      StringBuilder ids = new StringBuilder("{");
      for (Map.Entry<String, Long> change : changes.entrySet()) {
        if (ids.length() > 1) ids.append(',');
        ids.append('"').append(change.getKey()).append("\":").append(change.getValue());
      }
      ids.append('}');
      return "{\"cookie\":"
          + serverCookie
          + ",\"lastMutationIDChanges\":"
          + ids
          + ",\"patch\":["
          + String.join(",", ops)
          + "]"
          + refusals(refused)
          + "}";
    }

    static String refusals(List<String> refused) {
      if (refused.isEmpty()) return "";
      List<String> entries = new ArrayList<>();
      for (String name : refused) {
        int hash = name.indexOf('#');
        entries.add(
            "{\"clientID\":\""
                + name.substring(0, hash)
                + "\",\"id\":"
                + name.substring(hash + 1)
                + ",\"error\":\"no\"}");
      }
      return ",\"refusedMutations\":[" + String.join(",", entries) + "]";
    }

    /** A pull whose body breaks after its patch began: nothing changes. */
    void brokenPull() {
      boolean streamed = random.nextBoolean();
      steps.add("broken pull" + (streamed ? " streamed" : ""));
      Map<String, Object> saved = new TreeMap<>(server);
      othersWrite();
      String body = body(patch(), new LinkedHashMap<>(), new ArrayList<>());
      server.clear();
      server.putAll(saved);
      String broken = body.substring(0, body.length() - 1 - random.nextInt(10));
      assertThrows(
          Exception.class,
          () -> engine.applier.apply(new Buffer().writeUtf8(broken), cookie, streamed));
    }

    void restart() {
      boolean downgrade = random.nextInt(3) == 0;
      steps.add("restart" + (downgrade ? " from store v3" : ""));
      close();
      if (downgrade) {
        SqlDriver old = new JdbcSqlDriver(file, false);
        StoreVersionThree.rewrite(old.writer(), newestSeq + random.nextInt(3));
        old.close();
      }
      open(Integer.toString(version));
    }

    void newGroup() {
      steps.add("new group");
      engine.recovery.startNewGroup();
      List<Pending> queue = engine.store.pending(0, 10_000);
      assertEquals(pending.size(), queue.size());
      for (int i = 0; i < queue.size(); i++) {
        pending.get(i).clientID = queue.get(i).clientID;
        pending.get(i).id = queue.get(i).id;
      }
      serverConfirmed.clear();
      cookie = Cookie.NULL;
    }

    void newVersion() {
      version++;
      steps.add("schema version " + version);
      close();
      open(Integer.toString(version));
    }

    void abandon() {
      String current = engine.store.schemaVersion();
      String older = null;
      for (Mutation mutation : pending) {
        if (!mutation.version.equals(current)) {
          older = mutation.version;
          break;
        }
      }
      if (older == null) return;
      steps.add("abandon version " + older);
      engine.recovery.abandon(older, "gone");
      final String gone = older;
      pending.removeIf(m -> m.version.equals(gone));
    }

    void check() throws Exception {
      Map<String, Object> expected = expected();
      Map<String, Object> actual = new TreeMap<>();
      for (KeyValue entry : engine.read(tx -> tx.scan(ScanOptions.all()), null)) {
        actual.put(entry.key(), JSON.fromJson(entry.json()));
      }
      assertEquals(expected, actual, "the view");
      List<Pending> queue = engine.store.pending(0, 10_000);
      List<String> want = new ArrayList<>();
      for (Mutation mutation : pending) want.add(mutation.toString());
      List<String> have = new ArrayList<>();
      long previous = 0;
      for (Pending record : queue) {
        assertTrue(record.seq > previous);
        previous = record.seq;
        String arg = (String) JSON.fromJson(record.args.toString());
        have.add(
            new Mutation(record.clientID, record.id, record.name, arg, record.schemaVersion)
                .toString());
      }
      assertEquals(want, have, "the queue");
      assertEquals(pending.size(), engine.pendingCount());
    }
  }
}
