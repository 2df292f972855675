package dev.tandem.server.apps;

import dev.tandem.AppDefinition;
import dev.tandem.Assign;
import dev.tandem.Column;
import dev.tandem.Condition;
import dev.tandem.Grant;
import dev.tandem.KeyValue;
import dev.tandem.Mutators;
import dev.tandem.Permissions;
import dev.tandem.Query;
import dev.tandem.Relationship;
import dev.tandem.Row;
import dev.tandem.ScanOptions;
import dev.tandem.Schema;
import dev.tandem.Subset;
import dev.tandem.Table;
import dev.tandem.WriteTransaction;
import dev.tandem.server.ServerTransaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * seeds/004's team tracker: users, projects (owned, optionally public), memberships with a role,
 * issues of a project and comments of an issue, with Electric-style roles and grants.
 */
public final class TeamApp implements AppDefinition {
  public static final Schema SCHEMA =
      Schema.builder()
          .version(1)
          .table(
              Table.named("users")
                  .columns(Column.string("id"), Column.string("name"))
                  .primaryKey("id"))
          .table(
              Table.named("projects")
                  .columns(
                      Column.string("id"),
                      Column.string("name"),
                      Column.string("owner_id"),
                      Column.bool("public").optional())
                  .primaryKey("id"))
          .table(
              Table.named("memberships")
                  .columns(
                      Column.string("project_id"), Column.string("user_id"), Column.string("role"))
                  .primaryKey("project_id", "user_id")
                  .relationships(Relationship.one("project").hop("project_id", "projects", "id")))
          .table(
              Table.named("issues")
                  .columns(Column.string("id"), Column.string("title"), Column.string("project_id"))
                  .primaryKey("id")
                  .relationships(Relationship.one("project").hop("project_id", "projects", "id")))
          .table(
              Table.named("comments")
                  .columns(
                      Column.string("id"),
                      Column.string("content"),
                      Column.string("author_id"),
                      Column.string("issue_id"))
                  .primaryKey("id")
                  .relationships(Relationship.one("issue").hop("issue_id", "issues", "id")))
          .build();

  /** Who reads what: owners and members their projects, everyone the public ones. */
  public static Permissions.Builder permissionsBuilder() {
    return permissionsBuilder(true);
  }

  /** The permissions, with or without the grants to {@code projects:public}. */
  public static Permissions.Builder permissionsBuilder(boolean publicProjects) {
    Permissions.Builder p =
        Permissions.builder(SCHEMA)
            .admins("root")
            .assign(Assign.column("projects:owner", "owner_id"))
            .assign(
                Assign.table("projects", "memberships", "project_id", "user_id").roleColumn("role"))
            .assign(Assign.where("projects:public", Condition.eq("public", true)))
            .assign(Assign.column("comments:author", "author_id"))
            .grant(Grant.select("users").to(Permissions.AUTHENTICATED))
            .grant(Grant.all("users").to(Permissions.ADMIN))
            .grant(Grant.all("projects").to("projects:owner"))
            .grant(Grant.select("memberships").to("projects:member").through("project"))
            .grant(Grant.all("memberships").to("projects:owner").through("project"))
            .grant(Grant.all("issues").to("projects:owner").through("project"))
            .grant(Grant.all("issues").to("projects:member").through("project"))
            .grant(Grant.all("comments").to("projects:owner").through("issue", "project"))
            .grant(Grant.select("comments").to("projects:member").through("issue", "project"))
            .grant(
                Grant.on("comments", Grant.Operation.INSERT, Grant.Operation.UPDATE)
                    .to("projects:member")
                    .through("issue", "project")
                    .where(Condition.eq("author_id", Permissions.USER)))
            .grant(Grant.delete("comments").to("comments:author"))
            .subset(
                Subset.of("projects")
                    .through("memberships", "project")
                    .through("issues", "project")
                    .through("comments", "issue", "project"));
    String[] readers =
        publicProjects
            ? new String[] {"projects:member", "projects:public"}
            : new String[] {"projects:member"};
    for (String role : readers) {
      p.grant(Grant.select("projects").to(role))
          .grant(Grant.select("issues").to(role).through("project"))
          .grant(Grant.select("comments").to(role).through("issue", "project"));
    }
    return p;
  }

  public static final Permissions PERMISSIONS = permissionsBuilder().build();

  public static final Mutators MUTATORS =
      Subset.register(Mutators.builder())
          .crud(SCHEMA.table("users"))
          .crud(SCHEMA.table("projects"))
          .crud(SCHEMA.table("memberships"))
          .crud(SCHEMA.table("issues"))
          .crud(SCHEMA.table("comments"))
          .add(
              "putValue",
              Map.class,
              (tx, args) -> tx.put((String) args.get("key"), args.get("value")))
          .add(
              "issueWithComment",
              Map.class,
              (tx, args) -> {
                // Two writes: the issue, then a comment on it (which may be refused).
                tx.table("issues").insert(args.get("issue"));
                tx.table("comments").insert(args.get("comment"));
              })
          .add("copyIssue", Map.class, TeamApp::copyIssue)
          .add(
              "probe",
              Map.class,
              (tx, args) -> {
                // Reads issue 'from' as args.how says, and records what it saw as a new issue.
                String key = "issues/" + args.get("from");
                String seen;
                switch ((String) args.get("how")) {
                  case "get":
                    Object issue = tx.get(key);
                    seen = issue == null ? "none" : (String) ((Map<?, ?>) issue).get("title");
                    break;
                  case "has":
                    seen = "has " + tx.has(key);
                    break;
                  case "query":
                    List<Row> rows =
                        tx.query(Query.from("issues").where("id", "=", args.get("from")));
                    seen = rows.isEmpty() ? "none" : rows.get(0).getString("title");
                    break;
                  case "scan":
                    StringBuilder keys = new StringBuilder();
                    for (KeyValue entry : tx.scan(ScanOptions.prefix("issues/"))) {
                      keys.append(keys.length() == 0 ? "" : " ").append(entry.key());
                    }
                    seen = keys.toString();
                    break;
                  default:
                    throw new IllegalArgumentException("how?");
                }
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("id", args.get("id"));
                record.put("title", seen);
                record.put("project_id", args.get("project"));
                tx.table("issues").insert(record);
              })
          .add(
              "insertThenRead",
              Map.class,
              (tx, args) -> {
                // Inserts an issue, then copies what a read of it finds into a second one.
                tx.table("issues").insert(args.get("issue"));
                Map<?, ?> issue = (Map<?, ?>) args.get("issue");
                Map<String, Object> copy = new LinkedHashMap<>();
                copy.put("id", args.get("id"));
                Object read = tx.get("issues/" + issue.get("id"));
                copy.put("title", read == null ? "none" : ((Map<?, ?>) read).get("title"));
                copy.put("project_id", issue.get("project_id"));
                tx.table("issues").insert(copy);
              })
          .add(
              "peekUnfiltered",
              Map.class,
              (tx, args) -> ServerTransaction.of(tx).unfiltered().get("issues/ia1"))
          .add(
              "swallowRefusal",
              Map.class,
              (tx, args) -> {
                tx.table("issues").insert(args.get("issue"));
                try {
                  tx.table("issues").insert(args.get("forbidden"));
                } catch (RuntimeException e) {
                  // A mutator that hides the refusal does not get its other writes through.
                }
              })
          .build();

  /**
   * Copies issue {@code from} into project {@code project} as issue {@code id}, if this transaction
   * finds it: a shared mutator, run on the client too.
   */
  public static void copyIssue(WriteTransaction tx, Map<?, ?> args) {
    Object found = tx.get("issues/" + args.get("from"));
    if (found == null) return;
    Map<String, Object> copy = new LinkedHashMap<>();
    copy.put("id", args.get("id"));
    copy.put("title", ((Map<?, ?>) found).get("title"));
    copy.put("project_id", args.get("project"));
    tx.table("issues").insert(copy);
  }

  @Override
  public Schema schema() {
    return SCHEMA;
  }

  @Override
  public Mutators mutators() {
    return MUTATORS;
  }

  @Override
  public Permissions permissions() {
    return PERMISSIONS;
  }
}
