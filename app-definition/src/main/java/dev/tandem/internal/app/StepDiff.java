package dev.tandem.internal.app;

import static dev.tandem.internal.app.MigrationPlan.named;

import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.app.MigrationPlan.Index;
import dev.tandem.internal.app.MigrationPlan.Step;
import dev.tandem.internal.app.MigrationPlan.TableColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * One step planned from the stored tables before and after it: the tables created, the columns
 * added (optional only), the indexes, the widened enumerations, and for a contract step what is
 * dropped; a column changed in place fails. Its mirrors are {@link StepMirrors}'.
 */
final class StepDiff {
  private StepDiff() {}

  static Step plan(
      Migration migration,
      int min,
      Schema before,
      Schema after,
      String where,
      List<Step> previous) {
    List<Table> created = new ArrayList<>();
    List<TableColumn> added = new ArrayList<>();
    List<Index> indexes = new ArrayList<>();
    List<TableColumn> widened = new ArrayList<>();
    List<Table> droppedTables = new ArrayList<>();
    List<TableColumn> droppedColumns = new ArrayList<>();
    Schema current = migration.schema();
    for (Table table : after.tables()) {
      Table old = before == null ? null : before.table(table.name());
      if (old == null) {
        created.add(table);
        continue;
      }
      String why = SchemaDiff.changed(old, table);
      if (why != null)
        throw new IllegalArgumentException(where + "table '" + table.name() + "' " + why);
      for (Column column : table.columns()) {
        Column was = old.column(column.name());
        if (was == null) {
          if (!column.isOptional()) {
            throw new IllegalArgumentException(
                where
                    + "new "
                    + named(table, column)
                    + " is required, but rows stored already have no value for it: make it"
                    + " optional()");
          }
          added.add(new TableColumn(table.name(), column));
          continue;
        }
        why = SchemaDiff.changed(was, column);
        if (why != null) {
          throw new IllegalArgumentException(
              where
                  + named(table, column)
                  + " "
                  + why
                  + ": a column never changes in place; add a new column, mirror() it, and"
                  + " contract the old one");
        }
        if (was.values() != null && !was.values().equals(column.values())) {
          widened.add(new TableColumn(table.name(), column));
        }
      }
      for (Column column : old.columns()) {
        if (table.column(column.name()) == null) {
          droppedColumns.add(new TableColumn(table.name(), column));
        }
      }
      for (List<String> index : table.indexes()) {
        if (!old.indexes().contains(index)) indexes.add(new Index(table.name(), index));
      }
    }
    if (before != null) {
      for (Table table : before.tables()) {
        if (after.table(table.name()) == null) droppedTables.add(table);
      }
    }
    if (!migration.isContract() && (!droppedTables.isEmpty() || !droppedColumns.isEmpty())) {
      throw new AssertionError(where + "an expand step cannot shrink the stored tables");
    }
    List<Migration.Mirror> mirrors = StepMirrors.inForce(migration, after, where, previous);
    StepMirrors.checkLeftOut(current, after, mirrors, where);
    return new Step(
        migration,
        min,
        after,
        created,
        added,
        indexes,
        widened,
        droppedTables,
        droppedColumns,
        mirrors);
  }
}
