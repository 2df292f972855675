package dev.tandem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PermissionsTest {
  static final Schema SCHEMA =
      Schema.builder()
          .table(
              Table.named("projects")
                  .columns(
                      Column.string("id"),
                      Column.string("owner_id"),
                      Column.bool("public").optional())
                  .primaryKey("id"))
          .table(
              Table.named("memberships")
                  .columns(
                      Column.string("project_id"),
                      Column.string("user_id"),
                      Column.string("role").optional())
                  .primaryKey("project_id", "user_id")
                  .relationships(Relationship.one("project").hop("project_id", "projects", "id")))
          .table(
              Table.named("issues")
                  .columns(Column.string("id"), Column.string("project_id"), Column.string("title"))
                  .primaryKey("id")
                  .relationships(Relationship.one("project").hop("project_id", "projects", "id")))
          .table(
              Table.named("comments")
                  .columns(
                      Column.string("id"), Column.string("issue_id"), Column.string("author_id"))
                  .primaryKey("id")
                  .relationships(Relationship.one("issue").hop("issue_id", "issues", "id")))
          .build();

  static Permissions.Builder base() {
    return Permissions.builder(SCHEMA)
        .admins("root")
        .assign(Assign.column("projects:owner", "owner_id"))
        .assign(Assign.table("projects", "memberships", "project_id", "user_id").roleColumn("role"))
        .assign(Assign.where("projects:public", Condition.eq("public", true)));
  }

  @Test
  void seedsModelBuilds() {
    Permissions permissions =
        base()
            .grant(Grant.all("projects").to("projects:owner"))
            .grant(Grant.select("issues").to("projects:member").through("project"))
            .grant(Grant.select("comments").to("projects:member").through("issue", "project"))
            .grant(Grant.update("issues").to("projects:member").through("project").columns("title"))
            .grant(
                Grant.select("projects").to(Permissions.ANYONE).where(Condition.eq("public", true)))
            .build();
    assertEquals(5, permissions.grants().size());
    assertEquals(3, permissions.assignments().size());
    assertTrue(permissions.admins().contains("root"));
    assertEquals("projects", permissions.assignments().get(1).scopeTable());
  }

  @Test
  void fingerprintChangesWithAGrant() {
    String one = base().grant(Grant.all("projects").to("projects:owner")).build().fingerprint();
    String same = base().grant(Grant.all("projects").to("projects:owner")).build().fingerprint();
    String other =
        base().grant(Grant.select("projects").to("projects:owner")).build().fingerprint();
    assertEquals(one, same);
    assertNotEquals(one, other);
  }

  @Test
  void unknownNamesAreClearErrors() {
    refused(
        "no table 'nope'", () -> base().grant(Grant.all("nope").to(Permissions.ANYONE)).build());
    refused(
        "no column 'owner'",
        () -> Permissions.builder(SCHEMA).assign(Assign.column("projects:owner", "owner")).build());
    refused(
        "no relationship 'proj'",
        () -> base().grant(Grant.select("issues").to("projects:owner").through("proj")).build());
    refused(
        "no column 'nope'",
        () ->
            base()
                .grant(Grant.select("issues").to(Permissions.ANYONE).where(Condition.eq("nope", 1)))
                .build());
    refused(
        "no assignment gives role 'issues:owner'",
        () -> base().grant(Grant.select("issues").to("issues:owner")).build());
    refused("neither ANYONE", () -> base().grant(Grant.select("issues").to("somebody")).build());
    refused("name its role", () -> base().grant(Grant.select("issues")).build());
  }

  @Test
  void aScopedGrantMustLeadToItsScope() {
    refused(
        "name with through(...) the relationships that lead from 'comments'",
        () -> base().grant(Grant.select("comments").to("projects:owner")).build());
    refused(
        "leads from 'comments' to 'issues', not to the role's scope 'projects'",
        () -> base().grant(Grant.select("comments").to("projects:owner").through("issue")).build());
    refused(
        "nothing to lead to",
        () ->
            base().grant(Grant.select("issues").to(Permissions.ANYONE).through("project")).build());
  }

  @Test
  void columnLimitsAreForInsertsAndUpdates() {
    refused(
        "columns() limit inserts and updates only",
        () -> base().grant(Grant.all("projects").to("projects:owner").columns("id")).build());
  }

  @Test
  void roleNamesFollowTheirSource() {
    refused(
        "'<scope table>:<name>'",
        () ->
            Permissions.builder(SCHEMA)
                .assign(
                    Assign.table("projects:x", "memberships", "project_id", "user_id")
                        .roleColumn("role"))
                .build());
    refused(
        "'<scope table>:<name>'",
        () -> Permissions.builder(SCHEMA).assign(Assign.column("projects", "owner_id")).build());
    refused(
        "global roles are not assigned",
        () -> Permissions.builder(SCHEMA).assign(Assign.column("ADMIN", "owner_id")).build());
  }

  @Test
  void aSubsetsPathsMustLeadToItsTable() {
    Permissions ok =
        base()
            .subset(
                Subset.of("projects")
                    .through("issues", "project")
                    .through("comments", "issue", "project"))
            .build();
    assertEquals("projects", ok.subset().table());
    refused(
        "the path of 'comments' leads to 'issues'",
        () -> base().subset(Subset.of("projects").through("comments", "issue")).build());
    refused(
        "no one-hop relationship 'nope'",
        () -> base().subset(Subset.of("projects").through("issues", "nope")).build());
    refused(
        "needs a one-column primary key", () -> base().subset(Subset.of("memberships")).build());
  }

  private static void refused(String message, Executable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
