package dev.tandem.sample.walk;

import dev.tandem.AppDefinition;
import dev.tandem.Column;
import dev.tandem.Migration;
import dev.tandem.Migrations;
import dev.tandem.Mutators;
import dev.tandem.Schema;
import dev.tandem.Table;
import java.util.Map;

/**
 * A team directory through six versions, following seeds/003's table of schema changes (the walk of
 * docs/MIGRATIONS.md): each {@code V<n>} is the app as released at version n, with its schema, its
 * whole migration history and its mutators, loaded by clients and by the standalone server ({@code
 * --app dev.tandem.sample.walk.Directory$V3}).
 *
 * <ol>
 *   <li>v1: {@code person(id, nickname, team)} and {@code note(id, personID, text)}.
 *   <li>v2 adds a column: {@code bio}, optional.
 *   <li>v3 renames {@code nickname} to {@code displayName}: the expand half, a mirror.
 *   <li>v4 makes {@code team} optional the safe way: a new optional {@code teamName}, mirrored.
 *   <li>v5, the client first: its schema leaves out {@code bio}, {@code nickname} and {@code team},
 *       which the server still stores for older clients.
 *   <li>v6 contracts: the server serves 5 and up and drops the three columns.
 * </ol>
 */
public final class Directory {
  private Directory() {}

  static final Table NOTE =
      Table.named("note")
          .columns(Column.string("id"), Column.string("personID"), Column.string("text"))
          .primaryKey("id");

  static final Schema V1 =
      Schema.builder()
          .version(1)
          .table(
              Table.named("person")
                  .columns(Column.string("id"), Column.string("nickname"), Column.string("team"))
                  .primaryKey("id"))
          .table(NOTE)
          .build();

  static final Schema V2 =
      V1.toBuilder()
          .version(2)
          .replace(V1.table("person").columns(Column.string("bio").optional()))
          .build();

  static final Schema V3 =
      V2.toBuilder()
          .version(3)
          .replace(V2.table("person").columns(Column.string("displayName").optional()))
          .build();

  static final Schema V4 =
      V3.toBuilder()
          .version(4)
          .replace(V3.table("person").columns(Column.string("teamName").optional()))
          .build();

  static final Schema V5 =
      V4.toBuilder()
          .version(5)
          .replace(V4.table("person").withoutColumns("bio", "nickname", "team"))
          .build();

  static final Schema V6 = V5.toBuilder().version(6).build();

  static final Migration[] HISTORY = {
    Migration.to(V1),
    Migration.to(V2),
    Migration.to(V3).mirror("person", "nickname", "displayName", "(unnamed)"),
    Migration.to(V4).mirror("person", "team", "teamName", "(none)"),
    Migration.to(V5),
    Migration.to(V6).contract(5),
  };

  static Migrations history(int version) {
    Migration[] steps = new Migration[version];
    System.arraycopy(HISTORY, 0, steps, 0, version);
    return Migrations.of(steps);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Class<Map<String, Object>> ROW = (Class) Map.class;

  /**
   * The mutators of version {@code version}: those of v1 stay while v1 is served, so the server
   * runs what older clients send.
   */
  static Mutators mutators(int version) {
    Mutators.Builder mutators =
        Mutators.builder()
            .add("addNote", ROW, (tx, note) -> tx.table("note").insert(note))
            .add("savePerson", ROW, (tx, person) -> tx.table("person").upsert(person));
    if (version >= 2) {
      mutators.add("setBio", ROW, (tx, change) -> tx.table("person").update(change));
    }
    if (version >= 3) {
      mutators.add("rename", ROW, (tx, change) -> tx.table("person").update(change));
    }
    if (version >= 4) {
      mutators.add("setTeam", ROW, (tx, change) -> tx.table("person").update(change));
    }
    return mutators.build();
  }

  /** The app at {@code version}. */
  abstract static class Release implements AppDefinition {
    private final int version;

    Release(int version) {
      this.version = version;
    }

    @Override
    public Schema schema() {
      return HISTORY[version - 1].schema();
    }

    @Override
    public Migrations migrations() {
      return history(version);
    }

    @Override
    public Mutators mutators() {
      return Directory.mutators(version);
    }
  }

  public static final class V1 extends Release {
    public V1() {
      super(1);
    }
  }

  public static final class V2 extends Release {
    public V2() {
      super(2);
    }
  }

  public static final class V3 extends Release {
    public V3() {
      super(3);
    }
  }

  public static final class V4 extends Release {
    public V4() {
      super(4);
    }
  }

  public static final class V5 extends Release {
    public V5() {
      super(5);
    }
  }

  public static final class V6 extends Release {
    public V6() {
      super(6);
    }
  }

  static AppDefinition release(int version) {
    switch (version) {
      case 1:
        return new V1();
      case 2:
        return new V2();
      case 3:
        return new V3();
      case 4:
        return new V4();
      case 5:
        return new V5();
      default:
        return new V6();
    }
  }
}
