package dev.tandem.internal.app;

import static dev.tandem.internal.app.MigrationPlan.named;

import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.internal.app.MigrationPlan.Step;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The mirrors in force after a step (earlier steps' and its own, while both columns are stored),
 * its own checked; and the check that every required column a step's schema leaves out but still
 * stores is filled by a mirror.
 */
final class StepMirrors {
  private StepMirrors() {}

  /**
   * The mirrors in force after {@code migration}: earlier steps' whose columns are still stored in
   * {@code after}, then its own.
   *
   * @throws IllegalArgumentException if one of its own names what is not stored, joins columns of
   *     two types, leaves a required column without a value for null, or is declared twice.
   */
  static List<Migration.Mirror> inForce(
      Migration migration, Schema after, String where, List<Step> previous) {
    List<Migration.Mirror> mirrors = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    List<Migration.Mirror> candidates = new ArrayList<>();
    for (Step step : previous) candidates.addAll(step.newMirrors);
    candidates.addAll(migration.mirrors());
    for (Migration.Mirror mirror : candidates) {
      Table table = after.table(mirror.table());
      boolean own = migration.mirrors().contains(mirror);
      Column from = table == null ? null : table.column(mirror.from());
      Column to = table == null ? null : table.column(mirror.to());
      if (from == null || to == null) {
        if (own) {
          throw new IllegalArgumentException(
              where + "mirror " + mirror + " names a table or column that is not stored");
        }
        continue;
      }
      if (own && from.type() != to.type()) {
        throw new IllegalArgumentException(
            where
                + "mirror "
                + mirror
                + " joins a "
                + from.type()
                + " column and a "
                + to.type()
                + " column");
      }
      if (own && !from.isOptional() && mirror.whenNull() == null && to.isOptional()) {
        throw new IllegalArgumentException(
            where
                + "mirror "
                + mirror
                + ": "
                + mirror.from()
                + " is required and "
                + mirror.to()
                + " is optional; say what "
                + mirror.from()
                + " gets when "
                + mirror.to()
                + " is set to null (mirror(table, from, to,"
                + " whenNull))");
      }
      String id = mirror.table() + "." + mirror.from() + "." + mirror.to();
      if (!seen.add(id)) {
        throw new IllegalArgumentException(where + "mirror " + mirror + " is declared twice");
      }
      mirrors.add(mirror);
    }
    return mirrors;
  }

  /**
   * Fails if a required column stored for older clients is left out of {@code current} (this
   * version's schema) and no mirror fills it.
   */
  static void checkLeftOut(
      Schema current, Schema after, List<Migration.Mirror> mirrors, String where) {
    // Stored but not in the current schema: new clients leave it out of the rows they write.
    for (Table table : after.tables()) {
      Table own = current.table(table.name());
      if (own == null) continue;
      for (Column column : table.columns()) {
        if (own.column(column.name()) == null
            && !column.isOptional()
            && !filledByMirror(table.name(), column.name(), mirrors)) {
          throw new IllegalArgumentException(
              where
                  + named(table, column)
                  + " is required and still stored for older clients, but this version's"
                  + " schema leaves it out, so its rows could not be written: mirror it with a"
                  + " value for null (mirror(table, from, to, whenNull)), or contract the versions"
                  + " that have it");
        }
      }
    }
  }

  /** True if a mirror gives the required column {@code column} a value on every write. */
  private static boolean filledByMirror(
      String table, String column, List<Migration.Mirror> mirrors) {
    for (Migration.Mirror mirror : mirrors) {
      if (mirror.table().equals(table)
          && mirror.from().equals(column)
          && mirror.whenNull() != null) {
        return true;
      }
    }
    return false;
  }
}
