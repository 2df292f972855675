package dev.tandem;

/**
 * Hears of values that do not fit their schema table (a missing required column, a value of the
 * wrong type, an enumeration value outside its set, not a JSON object), whether pulled, written by
 * a mutator or found when an upgrade fills a new table. Such a value is kept, readable through the
 * key/value API but not in table queries, and sync goes on.
 *
 * <p>Called after the transaction that stored the value commits, with no internal lock held, on the
 * thread that wrote it: the caller of {@link Tandem#mutate}, a sync thread for pulls and rebases,
 * the caller of {@link Tandem.Builder#build()} for an upgrade. Return quickly, and do not throw:
 * the write stands, and what the listener throws goes to RxJava's error handler ({@code
 * RxJavaPlugins.onError}), as a failing subscriber's error does.
 *
 * <pre>{@code
 * Tandem.builder().onSchemaViolation((table, key, json, problem) ->
 *     log.warning(key + " does not fit table " + table + ": " + problem));
 * }</pre>
 */
public interface SchemaViolationListener {
  /**
   * The value of {@code key} does not fit {@code table}.
   *
   * @param table the schema name of the table.
   * @param key the key the value was stored under.
   * @param json the value, as JSON text.
   * @param problem what is wrong, in a phrase, such as {@code "required column 'id' is missing"}.
   */
  void violated(String table, String key, String json, String problem);
}
