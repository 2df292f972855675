package dev.tandem.server.internal.schema;

import dev.tandem.Column;
import dev.tandem.server.MutationContext;
import java.util.List;

/**
 * What a mutation's reads may see with permissions, as SQL: the rows its user may read or its push
 * wrote ({@link #visible}), and the columns its schema version lacks hidden on the rest of this
 * push's rows ({@link #source}). Unfiltered, every read sees every live row. Immutable.
 */
final class ReadFilter {
  private final SchemaStorage storage;
  private final MutationContext context;

  /** The user's select grants filter reads (an app with permissions, not {@code unfiltered()}). */
  private final boolean filtered;

  ReadFilter(SchemaStorage storage, MutationContext context, boolean filtered) {
    this.storage = storage;
    this.context = context;
    this.filtered = filtered;
  }

  /** True if reads are filtered by the user's select grants. */
  boolean filtered() {
    return filtered;
  }

  /**
   * The SQL condition under which this transaction reads {@code alias}'s row of {@code table} (its
   * values added to {@code args}): the user may read it, or this push wrote it; null when reads are
   * not filtered.
   */
  String visible(ServerTable table, String alias, List<Object> args) {
    if (!filtered) return null;
    args.add(context.version());
    String readable = storage.access().readable(table, alias, context.userID(), args);
    return "(" + alias + "." + ServerTable.VERSION + " = ? OR " + readable + ")";
  }

  /**
   * The FROM item reading {@code table} as {@code alias} (a plain name; its values added to {@code
   * args}): the table, or, when the push's schema version lacks some of its columns, the table with
   * those columns null on the rows this push wrote that its user may not read. The client holds
   * such a row as it wrote it, without them: after an old client's upsert over a row its user may
   * not read, the columns it does not know keep their stored values (the push writes only its
   * version's columns), which the mutation must not see, by key, in a condition or in an order.
   * Rows the user may read, and rows of an earlier push, are unchanged; so is whether a row is
   * visible ({@link #visible}: the hidden rows are this push's).
   */
  String source(ServerTable table, String alias, List<Object> args) {
    List<Column> lacked = lacked(table);
    if (lacked.isEmpty()) return table.sqlName + " AS " + alias;
    String x = "w";
    StringBuilder sql = new StringBuilder("(SELECT ");
    for (Column column : table.table.columns()) {
      String field = ServerTable.quote(column.field());
      if (lacked.contains(column)) {
        args.add(context.version());
        String readable = storage.access().readable(table, x, context.userID(), args);
        sql.append("CASE WHEN ")
            .append(x)
            .append('.')
            .append(ServerTable.VERSION)
            .append(" <> ? OR ")
            .append(readable)
            .append(" THEN ")
            .append(x)
            .append('.')
            .append(field)
            .append(" END");
      } else {
        sql.append(x).append('.').append(field);
      }
      sql.append(" AS ").append(field).append(", ");
    }
    return sql.append(x)
        .append('.')
        .append(ServerTable.VERSION)
        .append(", ")
        .append(x)
        .append('.')
        .append(ServerTable.DELETED)
        .append(" FROM ")
        .append(table.sqlName)
        .append(" AS ")
        .append(x)
        .append(") AS ")
        .append(alias)
        .toString();
  }

  /** The columns of {@code table} reads hide on this push's unreadable rows ({@link #source}). */
  List<Column> lacked(ServerTable table) {
    return filtered ? storage.lackedColumns(context.schemaVersion(), table) : List.of();
  }
}
