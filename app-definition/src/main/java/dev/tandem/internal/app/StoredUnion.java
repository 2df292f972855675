package dev.tandem.internal.app;

import static dev.tandem.internal.app.MigrationPlan.named;

import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Relationship;
import dev.tandem.Schema;
import dev.tandem.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables the server stores after a step: the union of every schema version it serves, each
 * table with the columns and indexes of all of them, checked for tables and columns changed in
 * place while two served versions have them.
 */
final class StoredUnion {
  private StoredUnion() {}

  /** The union of the schemas served at minimum {@code min}, newest definition first. */
  static Schema of(List<Migration> applied, int min, String where) {
    List<Schema> served = new ArrayList<>();
    for (int i = applied.size() - 1; i >= 0; i--) {
      Schema schema = applied.get(i).schema();
      served.add(schema);
      if (schema.version() <= min) break;
    }
    Map<String, Table> tables = new LinkedHashMap<>();
    Map<String, Integer> from = new LinkedHashMap<>();
    for (Schema schema : served) {
      for (Table table : schema.tables()) {
        Table known = tables.get(table.name());
        if (known == null) {
          tables.put(table.name(), table);
          from.put(table.name(), schema.version());
          continue;
        }
        String why = SchemaDiff.changed(table, known);
        if (why != null) {
          throw new IllegalArgumentException(
              where
                  + "table '"
                  + table.name()
                  + "' "
                  + why
                  + " between versions "
                  + schema.version()
                  + " and "
                  + from.get(table.name())
                  + " while both are served: a table never changes in place; add a new one");
        }
        for (Column column : table.columns()) {
          Column newer = known.column(column.name());
          if (newer == null) {
            known = known.columns(column);
            continue;
          }
          why = SchemaDiff.changed(column, newer);
          if (why != null) {
            throw new IllegalArgumentException(
                where
                    + named(table, column)
                    + " "
                    + why
                    + " between versions "
                    + schema.version()
                    + " and "
                    + from.get(table.name())
                    + " while both are served: add a new column, mirror() it, and contract the"
                    + " old one");
          }
        }
        for (List<String> index : table.indexes()) {
          if (!known.indexes().contains(index)) known = known.index(index.toArray(new String[0]));
        }
        tables.put(table.name(), known);
      }
    }
    Schema.Builder builder = Schema.builder().version(applied.get(applied.size() - 1).version());
    for (Table table : tables.values()) builder.table(keepValidRelationships(table, tables));
    return builder.build();
  }

  private static Table keepValidRelationships(Table table, Map<String, Table> tables) {
    Table result = Table.named(table.name()).from(table.serverName());
    result = result.columns(table.columns().toArray(new Column[0]));
    result = result.primaryKey(table.primaryKey().toArray(new String[0]));
    for (List<String> index : table.indexes()) result = result.index(index.toArray(new String[0]));
    for (Relationship relationship : table.relationships()) {
      boolean valid = true;
      for (Relationship.Hop hop : relationship.hops()) {
        if (!tables.containsKey(hop.destTable())) valid = false;
      }
      if (valid) result = result.relationships(relationship);
    }
    return result;
  }
}
