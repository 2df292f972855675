package dev.tandem.server.internal.schema;

import dev.tandem.KeyValue;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.ScanOptions;
import dev.tandem.TableWriter;
import dev.tandem.WriteTransaction;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.server.MutationContext;
import dev.tandem.server.ServerTransaction;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A shared mutator's transaction on the server ({@link Reason#AUTHORITATIVE}): reads and writes go
 * to the real tables of the push transaction, through {@link MutationContext#statement}. Keys under
 * a schema table's prefix are rows of that table (validated against the schema; a value that does
 * not fit fails the mutation); other keys live in {@code tandem_kv}. Writes are stamped with the
 * push's version; deletes are soft; reads skip deleted rows. Valid only while the mutator runs.
 *
 * <p>With permissions, reads ({@code get}, {@code has}, {@code isEmpty}, {@code scan}, {@code
 * query} and its relationships) see only the rows the mutation's user may read, decided in SQL on
 * the push's connection as the mutation runs, plus the rows this push wrote (they carry its
 * version): what the mutator sees on its user's client, which holds the readable rows and its own
 * pending writes. Keys outside the tables read as absent (no one pulls them). Columns the push's
 * schema version lacks read as null on this push's rows the user may not read ({@link
 * ReadFilter#source}). {@link #unfiltered} is the way out for serverMutator overrides.
 *
 * <p>The reads are {@link ServerReads} (and {@link ServerQuery}), the writes {@link ServerWrites}
 * and {@link ServerTableWriter}, both through the {@link ReadFilter}.
 */
public final class ServerWriteTransaction implements ServerTransaction {
  private final SchemaStorage storage;
  private final JsonCodec codec;
  private final MutationContext context;
  private final long mutationID;

  /** The mutator is a serverMutator override (server only): it may read unfiltered. */
  private final boolean override;

  /**
   * What reads see: filtered by the user's select grants (with permissions, not {@link
   * #unfiltered}).
   */
  private final ReadFilter filter;

  private final ServerReads reads;
  private final ServerWrites writes;

  /** The transaction the mutator was given: it holds the first refusal. */
  private final ServerWriteTransaction root;

  private RuntimeException denied;

  /**
   * The transaction of the mutation {@code mutationID}; {@code override}: its mutator is a
   * serverMutator override, which may call {@link #unfiltered}.
   */
  public ServerWriteTransaction(
      SchemaStorage storage, MutationContext context, long mutationID, boolean override) {
    this(storage, context, mutationID, override, storage.access() != null, null);
  }

  private ServerWriteTransaction(
      SchemaStorage storage,
      MutationContext context,
      long mutationID,
      boolean override,
      boolean filtered,
      ServerWriteTransaction root) {
    this.storage = storage;
    this.codec = storage.codec();
    this.context = context;
    this.mutationID = mutationID;
    this.override = override;
    this.filter = new ReadFilter(storage, context, filtered);
    this.reads = new ServerReads(storage, context, codec, filter);
    this.writes = new ServerWrites(this, storage, context, codec);
    this.root = root == null ? this : root;
  }

  @Override
  public WriteTransaction unfiltered() {
    if (!override) {
      throw new IllegalStateException(
          "unfiltered() is for serverMutator overrides: a shared mutator runs on the client too,"
              + " which holds only the rows its user may read");
    }
    return filter.filtered()
        ? new ServerWriteTransaction(storage, context, mutationID, true, false, root)
        : this;
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
  public String getJson(String key) {
    return reads.getJson(key);
  }

  @Override
  public boolean has(String key) {
    return getJson(key) != null;
  }

  @Override
  public boolean isEmpty() {
    return reads.isEmpty();
  }

  /**
   * Entries in UTF-8 order of their keys. {@code tandem_kv} is read in key order up to the limit; a
   * schema table under the prefix is read whole (its rows' keys are not a column), so prefer {@link
   * #query} for tables.
   */
  @Override
  public List<KeyValue> scan(ScanOptions options) {
    return reads.scan(options);
  }

  @Override
  public List<Row> query(Query query) {
    try {
      return new ServerQuery(storage, context, filter).run(query);
    } catch (SQLException e) {
      throw new StorageException(e);
    }
  }

  @Override
  public <T> List<T> query(Query query, Class<T> type) {
    List<T> mapped = new ArrayList<>();
    for (Row row : query(query)) mapped.add(row.as(type));
    return mapped;
  }

  @Override
  public String clientID() {
    return context.clientID();
  }

  @Override
  public void put(String key, Object value) {
    writes.put(key, value);
  }

  @Override
  public void set(String key, Object value) {
    put(key, value);
  }

  @Override
  public boolean del(String key) {
    return writes.del(key);
  }

  @Override
  public TableWriter table(String name) {
    return new ServerTableWriter(this, storage.table(name), codec, filter, reads, writes);
  }

  /** The first write the permissions refused, or null: the mutation is refused even if caught. */
  public RuntimeException denied() {
    return root.denied;
  }

  /** Records {@code e} as the mutation's refusal if it is the first, and returns it to throw. */
  RuntimeException refuse(Access.Denied e) {
    if (root.denied == null) root.denied = e;
    return e;
  }

  @Override
  public long mutationID() {
    return mutationID;
  }

  @Override
  public Reason reason() {
    return Reason.AUTHORITATIVE;
  }

  @Override
  public String userID() {
    return context.userID();
  }

  /** A database failure under a mutator, unchecked so it passes through the mutator's code. */
  public static final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StorageException(SQLException cause) {
      super(cause.getMessage(), cause);
    }

    public SQLException sqlCause() {
      return (SQLException) getCause();
    }
  }
}
