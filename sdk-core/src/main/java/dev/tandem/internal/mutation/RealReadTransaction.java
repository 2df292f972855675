package dev.tandem.internal.mutation;

import dev.tandem.KeyValue;
import dev.tandem.Query;
import dev.tandem.ReadQuery;
import dev.tandem.ReadTransaction;
import dev.tandem.Row;
import dev.tandem.ScanOptions;
import dev.tandem.internal.app.ApiAccess;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.SqlConnection;
import dev.tandem.internal.query.LiveQueries;
import dev.tandem.internal.query.QueryRunner;
import dev.tandem.internal.query.ReadMemo;
import dev.tandem.internal.store.ClientView;
import dev.tandem.internal.store.Entry;
import dev.tandem.internal.store.KeySet;
import dev.tandem.internal.store.LocalStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of the client view (plain keys and schema tables) through one connection, recording what it
 * read for live queries.
 */
public class RealReadTransaction implements ReadTransaction {
  private static final ApiAccess INTERNAL = ApiAccess.get();

  final SqlConnection db;
  final ClientView data;
  final JsonCodec codec;
  final String clientID;

  /** What this transaction read, for live queries; null when nobody needs it. */
  final KeySet reads;

  /** Runs {@code query} in a read transaction of {@code local}, recording its reads if asked. */
  public static <T> T run(final LocalStore local, final ReadQuery<T> query, final KeySet reads)
      throws Exception {
    return local.read(
        db ->
            query.query(
                new RealReadTransaction(db, local.view(), local.codec(), local.clientID(), reads)));
  }

  /** Live queries' reader: a batch of queries in one read transaction of {@code local}. */
  public static LiveQueries.Reader liveReader(final LocalStore local) {
    return new LiveReader(local);
  }

  /**
   * Runs live queries in read transactions of the store, recording what they found ({@link
   * ReadMemo}), and again from that memo alone.
   */
  private static final class LiveReader implements LiveQueries.Reader, LiveQueries.Memos {
    private final LocalStore local;

    LiveReader(LocalStore local) {
      this.local = local;
    }

    @Override
    public void inTransaction(final LiveQueries.Batch batch) throws Exception {
      local.read(
          db -> {
            batch.run(
                new LiveQueries.Transaction() {
                  @Override
                  public <T> T read(ReadQuery<T> query, KeySet reads) throws Exception {
                    return read(query, reads, null);
                  }

                  @Override
                  public <T> T read(ReadQuery<T> query, KeySet reads, ReadMemo record)
                      throws Exception {
                    return query.query(
                        new RealReadTransaction(
                            db, local.view(), local.codec(), local.clientID(), reads, record));
                  }
                });
            return null;
          });
    }

    @Override
    public <T> T fromMemo(ReadQuery<T> query, KeySet reads, ReadMemo memo) throws Exception {
      RealReadTransaction tx =
          new RealReadTransaction(null, local.view(), local.codec(), local.clientID(), reads, memo);
      T result = query.query(tx);
      if (tx.missed) throw ReadMemo.Miss.INSTANCE; // The query caught it: its result is not true.
      return result;
    }

    @Override
    public boolean isPlain(String key) {
      return local.view().isPlain(key);
    }
  }

  /**
   * With {@code memo}: a live query's run that records what it reads into {@code memo}, or, with
   * {@code db} null, answers every read from it (throwing {@link ReadMemo.Miss} where it cannot).
   */
  private final ReadMemo memo;

  /** A read from the memo missed (the query may have caught the exception). */
  private boolean missed;

  RealReadTransaction(
      SqlConnection db, ClientView data, JsonCodec codec, String clientID, KeySet reads) {
    this(db, data, codec, clientID, reads, null);
  }

  private RealReadTransaction(
      SqlConnection db,
      ClientView data,
      JsonCodec codec,
      String clientID,
      KeySet reads,
      ReadMemo memo) {
    this.db = db;
    this.data = data;
    this.codec = codec;
    this.clientID = clientID;
    this.reads = reads;
    this.memo = memo;
  }

  private ReadMemo.Miss miss() {
    missed = true;
    return ReadMemo.Miss.INSTANCE;
  }

  @Override
  public String getJson(String key) {
    if (reads != null) reads.addKey(key);
    if (db == null) {
      try {
        return memo.get(key);
      } catch (ReadMemo.Miss e) {
        throw miss();
      }
    }
    String json = data.get(db, key);
    if (memo != null) memo.recordGet(key, json);
    return json;
  }

  @Override
  public Object get(String key) {
    String json = getJson(key);
    return json == null ? null : codec.fromJson(json, Object.class);
  }

  @Override
  public <T> T get(String key, Class<T> type) {
    String json = getJson(key);
    return json == null ? null : codec.fromJson(json, type);
  }

  @Override
  public boolean has(String key) {
    return getJson(key) != null;
  }

  @Override
  public boolean isEmpty() {
    if (reads != null) reads.addRange("", null);
    return entries("", false, null, 1).isEmpty();
  }

  @Override
  public List<KeyValue> scan(ScanOptions options) {
    String prefix = options.prefix();
    String from = prefix;
    boolean exclusive = false;
    if (options.start() != null
        && dev.tandem.protocol.KeyOrder.compare(options.start(), prefix) >= 0) {
      from = options.start();
      exclusive = options.startExclusive();
    }
    String to = KeySet.prefixEnd(prefix);
    if (reads != null) reads.addRange(from, to);
    List<KeyValue> result = new ArrayList<>();
    if (options.limit() == 0) return result;
    for (Entry entry : entries(from, exclusive, to, options.limit())) {
      result.add(INTERNAL.keyValue(entry.key, entry.json, codec));
    }
    return result;
  }

  /** The view's entries in a range, from the database or the memo, recorded when asked. */
  private List<Entry> entries(String from, boolean exclusive, String to, int limit) {
    if (db == null) {
      try {
        return memo.scan(from, exclusive, to, limit);
      } catch (ReadMemo.Miss e) {
        throw miss();
      }
    }
    List<Entry> found = data.scan(db, from, exclusive, to, limit);
    if (memo != null) memo.recordScan(from, exclusive, to, limit, found);
    return found;
  }

  @Override
  public List<Row> query(Query query) {
    if (db == null) throw miss(); // Schema queries are not recorded: they run in SQLite.
    if (memo != null) memo.refuse();
    return new QueryRunner(db, data, codec, reads).run(query);
  }

  @Override
  public <T> List<T> query(Query query, Class<T> type) {
    List<Row> rows = query(query);
    List<T> mapped = new ArrayList<>(rows.size());
    for (Row row : rows) mapped.add(row.as(type));
    return mapped;
  }

  @Override
  public String clientID() {
    return clientID;
  }
}
