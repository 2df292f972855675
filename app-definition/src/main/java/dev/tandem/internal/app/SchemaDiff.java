package dev.tandem.internal.app;

import dev.tandem.Column;
import dev.tandem.Schema;
import dev.tandem.Table;

/** How two versions of a schema differ, as far as stored data is concerned. */
public final class SchemaDiff {
  private SchemaDiff() {}

  /**
   * Why {@code column}'s stored values may not fit {@code next}, the same column in a later
   * version, or null if they do: same type, JSON field and optionality, and an enumeration keeps
   * every value it had (it may gain some).
   */
  public static String changed(Column column, Column next) {
    if (column.type() != next.type()) {
      return "is " + lower(column.type()) + " and becomes " + lower(next.type());
    }
    if (!column.field().equals(next.field())) {
      return "reads field '" + column.field() + "' and becomes '" + next.field() + "'";
    }
    if (column.isOptional() != next.isOptional()) {
      return column.isOptional() ? "becomes required" : "becomes optional";
    }
    if (column.values() != null && !next.values().containsAll(column.values())) {
      return "loses enumeration values (" + column.values() + " becomes " + next.values() + ")";
    }
    return null;
  }

  /**
   * Why {@code table}'s rows may not fit {@code next}, the same table in a later version, apart
   * from its columns: another server name or primary key. Null if neither changed.
   */
  public static String changed(Table table, Table next) {
    if (!table.serverName().equals(next.serverName())) {
      return "syncs from '" + table.serverName() + "' and becomes '" + next.serverName() + "'";
    }
    if (!table.primaryKey().equals(next.primaryKey())) {
      return "has primary key " + table.primaryKey() + " and becomes " + next.primaryKey();
    }
    return null;
  }

  /**
   * Why a local copy synced under {@code stored} cannot be upgraded in place to {@code current}, or
   * null if it can: every table and column kept has the same definition (enumerations may gain
   * values). New tables, new columns and removed columns upgrade in place; a removed table or a
   * changed definition does not.
   */
  public static String rebuildReason(Schema stored, Schema current) {
    for (Table table : stored.tables()) {
      Table next = current.table(table.name());
      if (next == null) return "table '" + table.name() + "' was removed";
      String why = changed(table, next);
      if (why != null) return "table '" + table.name() + "' " + why;
      for (Column column : table.columns()) {
        Column nextColumn = next.column(column.name());
        if (nextColumn == null) continue;
        why = changed(column, nextColumn);
        if (why != null) return "column '" + table.name() + "." + column.name() + "' " + why;
      }
    }
    return null;
  }

  private static String lower(Column.Type type) {
    return type.name().toLowerCase(java.util.Locale.ROOT);
  }
}
