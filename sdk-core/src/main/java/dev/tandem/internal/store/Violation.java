package dev.tandem.internal.store;

import dev.tandem.SchemaViolationListener;

/**
 * A synced value that did not fit its schema table and was kept as a plain key; reported to the
 * app's {@link SchemaViolationListener} after its transaction commits. Immutable.
 */
public final class Violation {
  public final String table;
  public final String key;
  public final String json;
  public final String problem;

  public Violation(String table, String key, String json, String problem) {
    this.table = table;
    this.key = key;
    this.json = json;
    this.problem = problem;
  }

  void reportTo(SchemaViolationListener listener) {
    listener.violated(table, key, json, problem);
  }
}
