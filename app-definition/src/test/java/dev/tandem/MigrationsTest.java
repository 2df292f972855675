package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tandem.internal.app.MigrationPlan;
import dev.tandem.internal.app.SchemaDiff;
import dev.tandem.internal.app.SchemaJson;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  static final Table USER =
      Table.named("user")
          .columns(Column.string("id"), Column.string("nickname"), Column.enumeration("role", "a"))
          .primaryKey("id");
  static final Schema V1 = Schema.builder().version(1).table(USER).build();
  static final Schema V2 =
      V1.toBuilder()
          .version(2)
          .replace(USER.columns(Column.string("bio").optional()).index("nickname"))
          .table(Table.named("note").columns(Column.string("id")).primaryKey("id"))
          .build();

  private static MigrationPlan plan(Migration... steps) {
    return MigrationPlan.of(Arrays.asList(steps));
  }

  @Test
  void expandStepsDeriveTheirChanges() {
    MigrationPlan plan = plan(Migration.to(V1), Migration.to(V2));
    MigrationPlan.Step first = plan.steps().get(0);
    assertEquals(1, first.createdTables.size());
    assertEquals(1, first.minClientVersion);
    MigrationPlan.Step second = plan.steps().get(1);
    assertEquals("[user.bio]", second.addedColumns.toString());
    assertEquals("note", second.createdTables.get(0).name());
    assertEquals(Arrays.asList("nickname"), second.addedIndexes.get(0).columns);
    assertEquals(1, second.minClientVersion);
    assertEquals(2, Migrations.of(Migration.to(V1), Migration.to(V2)).maxClientVersion());
  }

  @Test
  void aRequiredNewColumnIsNotAdditive() {
    Schema v2 = V1.toBuilder().version(2).replace(USER.columns(Column.string("bio"))).build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Migrations.of(Migration.to(V1), Migration.to(v2)));
    assertTrue(e.getMessage().contains("new column 'user.bio' is required"), e.getMessage());
  }

  @Test
  void changingAColumnInPlaceIsRefusedEvenInAContractStep() {
    Table relaxed =
        Table.named("user")
            .columns(
                Column.string("id"),
                Column.string("nickname").optional(),
                Column.enumeration("role", "a"))
            .primaryKey("id");
    Schema v2 = Schema.builder().version(2).table(relaxed).build();
    IllegalArgumentException expand =
        assertThrows(
            IllegalArgumentException.class,
            () -> Migrations.of(Migration.to(V1), Migration.to(v2)));
    assertTrue(expand.getMessage().contains("becomes optional"), expand.getMessage());
    IllegalArgumentException contract =
        assertThrows(
            IllegalArgumentException.class,
            () -> Migrations.of(Migration.to(V1), Migration.to(v2).contract(2)));
    assertTrue(contract.getMessage().contains("never changes in place"), contract.getMessage());
  }

  @Test
  void enumerationsMayGainValuesButNotLoseThem() {
    Table wider =
        Table.named("user")
            .columns(
                Column.string("id"),
                Column.string("nickname"),
                Column.enumeration("role", "a", "b"))
            .primaryKey("id");
    Schema v2 = Schema.builder().version(2).table(wider).build();
    MigrationPlan plan = plan(Migration.to(V1), Migration.to(v2));
    assertEquals("[user.role]", plan.steps().get(1).widenedEnumerations.toString());
    Schema v3 = Schema.builder().version(3).table(USER).build();
    assertThrows(
        IllegalArgumentException.class,
        () -> Migrations.of(Migration.to(V1), Migration.to(v2), Migration.to(v3)));
  }

  @Test
  void aRemovedColumnStaysStoredUntilAContractStepDropsIt() {
    Schema v3 = V2.toBuilder().version(3).replace(V2.table("user").withoutColumns("bio")).build();
    MigrationPlan expand = plan(Migration.to(V1), Migration.to(V2), Migration.to(v3));
    assertTrue(expand.last().droppedColumns.isEmpty());
    assertTrue(expand.last().stored.table("user").column("bio") != null);
    // Contracting to 2 still serves version 2, which has bio.
    MigrationPlan toTwo = plan(Migration.to(V1), Migration.to(V2), Migration.to(v3).contract(2));
    assertTrue(toTwo.last().droppedColumns.isEmpty());
    MigrationPlan toThree = plan(Migration.to(V1), Migration.to(V2), Migration.to(v3).contract(3));
    assertEquals("[user.bio]", toThree.last().droppedColumns.toString());
    assertEquals(3, toThree.last().minClientVersion);
    assertEquals(v3, toThree.schemaFor(7));
    assertEquals(V1, toThree.schemaFor(0));
  }

  @Test
  void aRequiredColumnLeavingTheSchemaWhileServedIsRefused() {
    Schema v2 = V1.toBuilder().version(2).replace(USER.withoutColumns("nickname")).build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Migrations.of(Migration.to(V1), Migration.to(v2)));
    assertTrue(e.getMessage().contains("is required and still stored"), e.getMessage());
    // Contracting past version 1 drops it instead.
    assertEquals(
        "[user.nickname]",
        plan(Migration.to(V1), Migration.to(v2).contract(2)).last().droppedColumns.toString());
  }

  @Test
  void aRequiredColumnMayLeaveTheSchemaWhenAMirrorFillsIt() {
    Schema v2 =
        V1.toBuilder()
            .version(2)
            .replace(USER.columns(Column.string("displayName").optional()))
            .build();
    Schema v3 =
        v2.toBuilder().version(3).replace(v2.table("user").withoutColumns("nickname")).build();
    MigrationPlan plan =
        plan(
            Migration.to(V1),
            Migration.to(v2).mirror("user", "nickname", "displayName", "?"),
            Migration.to(v3));
    assertTrue(plan.last().stored.table("user").column("nickname") != null);
    assertEquals(1, plan.last().mirrors.size());
  }

  @Test
  void contractStepsMustRaiseTheMinimum() {
    assertThrows(IllegalArgumentException.class, () -> Migrations.of(Migration.to(V1).contract(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Migrations.of(Migration.to(V1), Migration.to(V2).contract(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> Migrations.of(Migration.to(V1), Migration.to(V2).contract(3)));
    assertThrows(
        IllegalArgumentException.class, () -> Migrations.of(Migration.to(V2), Migration.to(V1)));
  }

  @Test
  void mirrorsNeedStoredColumnsOfOneTypeAndStayWhileBothAreStored() {
    Schema v2 =
        V1.toBuilder()
            .version(2)
            .replace(USER.columns(Column.string("displayName").optional()))
            .build();
    Schema v3 =
        Schema.builder().version(3).table(v2.table("user").withoutColumns("nickname")).build();
    assertThrows(
        IllegalArgumentException.class,
        () -> Migrations.of(Migration.to(V1), Migration.to(v2).mirror("user", "nickname", "nope")));
    // nickname is required, displayName optional: what nickname gets for a null must be said.
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Migrations.of(
                Migration.to(V1), Migration.to(v2).mirror("user", "nickname", "displayName")));
    MigrationPlan plan =
        plan(
            Migration.to(V1),
            Migration.to(v2).mirror("user", "nickname", "displayName", ""),
            Migration.to(v3).contract(3));
    assertEquals(1, plan.steps().get(1).mirrors.size());
    assertEquals("[user.nickname]", plan.last().droppedColumns.toString());
    assertTrue(plan.last().mirrors.isEmpty());
  }

  @Test
  void checksumsCoverWhatDefinesAStep() {
    String plain = MigrationPlan.checksum(Migration.to(V2));
    assertEquals(plain, MigrationPlan.checksum(Migration.to(V2)));
    assertNotEquals(plain, MigrationPlan.checksum(Migration.to(V2).sql("any", "SELECT 1")));
    assertNotEquals(plain, MigrationPlan.checksum(Migration.to(V2).contract(2)));
    Schema other =
        V2.toBuilder().replace(V2.table("note").columns(Column.json("x").optional())).build();
    assertNotEquals(plain, MigrationPlan.checksum(Migration.to(other)));
  }

  @Test
  void storedSchemasReadBackAndDiffForTheClient() {
    Schema read = SchemaJson.read(SchemaJson.write(V2));
    assertEquals(SchemaJson.write(V2), SchemaJson.write(read));
    assertNull(SchemaDiff.rebuildReason(V1, V2));
    assertNull(SchemaDiff.rebuildReason(V2, V1.toBuilder().table(V2.table("note")).build()));
    assertEquals("table 'note' was removed", SchemaDiff.rebuildReason(V2, V1));
    Schema renamedField =
        Schema.builder()
            .version(3)
            .table(
                Table.named("user")
                    .columns(
                        Column.string("id"),
                        Column.string("nickname").from("nick"),
                        Column.enumeration("role", "a"))
                    .primaryKey("id"))
            .build();
    assertTrue(SchemaDiff.rebuildReason(V1, renamedField).contains("reads field 'nickname'"));
    assertThrows(IllegalArgumentException.class, () -> SchemaJson.read("{\"tables\":[{}]}"));
  }
}
