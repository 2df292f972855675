package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Indexes declared in the schema, on ordinary columns. */
class SchemaIndexTest {
  @TempDir Path directory;

  static Schema schema() {
    return Schema.builder()
        .version(1)
        .table(
            Table.named("todo")
                .columns(Column.string("id"), Column.string("listID"), Column.bool("done"))
                .primaryKey("id")
                .index("listID", "done"))
        .build();
  }

  @Test
  void aDeclaredIndexServesQueriesOnItsColumns() throws Exception {
    File file = new File(directory.toFile(), "index.db");
    try (Tandem tandem = Tandem.builder().databaseFile(file).schema(schema()).build()) {
      assertEquals(
          Collections.emptyList(),
          tandem.query(Query.from("todo").where("listID", "=", "l1").where("done", "=", false)));
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
        ResultSet plan =
            db.createStatement()
                .executeQuery(
                    "EXPLAIN QUERY PLAN SELECT \"_key\" FROM \"t_todo\""
                        + " WHERE \"c_listID\" = 'l1' AND \"c_done\" = 0")) {
      StringBuilder text = new StringBuilder();
      while (plan.next()) text.append(plan.getString(4)).append('\n');
      assertTrue(text.toString().contains("i_todo_x_listID_done"), text.toString());
    }
  }

  @Test
  void anIndexOnAnUnknownColumnIsRefusedAtBuild() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Schema.builder()
                    .table(
                        Table.named("todo")
                            .columns(Column.string("id"))
                            .primaryKey("id")
                            .index("title"))
                    .build());
    assertEquals("index of table 'todo' names unknown column 'title'", e.getMessage());
  }

  @Test
  void theTableKeepsItsOwnCopyOfThePrimaryKeyNames() {
    String[] key = {"id"};
    Table table = Table.named("todo").columns(Column.string("id")).primaryKey(key);
    key[0] = "changed";
    assertEquals(Collections.singletonList("id"), table.primaryKey());
  }
}
