package dev.tandem;

/**
 * Hears of synced values that do not fit their schema table (a missing required column, a value of
 * the wrong type). Such a value is kept, readable through the key/value API but not in table
 * queries, and sync goes on. Called on the thread that applied the change, inside its transaction:
 * return quickly and do not call back into Tandem.
 */
public interface SchemaViolationListener {
  void violated(String table, String key, String json, String problem);
}
