package dev.tandem.server;

import dev.tandem.protocol.PatchOperation;
import dev.tandem.protocol.RawJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The chat of the Replicache tutorial: the {@code message} table, the mutators {@code createMessage
 * {id, from, content, order}}, {@code updateMessage {id, content}} and {@code deleteMessage {id}}
 * (a soft delete), and the client view that serves each message under {@code message/<id>} as
 * {@code {from, content, order}}.
 *
 * <p>A message belongs to its sender, the authenticated user ({@link MutationContext#userID()}):
 * {@code createMessage} with a {@code from} other than that user, and {@code updateMessage} or
 * {@code deleteMessage} of another user's message, are refused (the mutator throws, so the mutation
 * is rolled back and still counted as processed: the client is not blocked).
 */
public final class ChatDomain {
  private ChatDomain() {}

  /** Args of {@code createMessage}. */
  public static final class CreateMessage {
    public String id;
    public String from;
    public String content;
    public Long order;
  }

  /** Args of {@code updateMessage}. */
  public static final class UpdateMessage {
    public String id;
    public String content;
  }

  /** Args of {@code deleteMessage}. */
  public static final class DeleteMessage {
    public String id;
  }

  /** Adds the chat's table, mutators and client view to {@code builder}. */
  public static Backend.Builder install(Backend.Builder builder) {
    return builder
        .ddl(
            "CREATE TABLE IF NOT EXISTS message (id TEXT PRIMARY KEY NOT NULL,"
                + " sender TEXT NOT NULL, content TEXT NOT NULL, ord BIGINT NOT NULL,"
                + " deleted BOOLEAN NOT NULL, version BIGINT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS message_by_version ON message (version)")
        .mutator("createMessage", Mutator.typed(CreateMessage.class, ChatDomain::create))
        .mutator("updateMessage", Mutator.typed(UpdateMessage.class, ChatDomain::update))
        .mutator("deleteMessage", Mutator.typed(DeleteMessage.class, ChatDomain::delete))
        .clientView(ChatDomain::changes);
  }

  static void create(MutationContext context, CreateMessage args) throws SQLException {
    require(args.id, "id");
    require(args.from, "from");
    require(args.content, "content");
    require(args.order, "order");
    if (!args.from.equals(context.userID())) {
      throw new IllegalArgumentException(
          "message '" + args.id + "' from '" + args.from + "' sent by another user");
    }
    PreparedStatement statement =
        context.statement(
            "INSERT INTO message (id, sender, content, ord, deleted, version)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
    statement.setString(1, args.id);
    statement.setString(2, args.from);
    statement.setString(3, args.content);
    statement.setLong(4, args.order);
    statement.setBoolean(5, false);
    statement.setLong(6, context.version());
    statement.executeUpdate();
  }

  static void update(MutationContext context, UpdateMessage args) throws SQLException {
    require(args.id, "id");
    require(args.content, "content");
    PreparedStatement statement =
        context.statement(
            "UPDATE message SET content = ?, version = ?"
                + " WHERE id = ? AND sender = ? AND NOT deleted");
    statement.setString(1, args.content);
    statement.setLong(2, context.version());
    statement.setString(3, args.id);
    statement.setString(4, context.userID());
    if (statement.executeUpdate() == 0) {
      throw new IllegalArgumentException("no message '" + args.id + "' of the sender to update");
    }
  }

  static void delete(MutationContext context, DeleteMessage args) throws SQLException {
    require(args.id, "id");
    PreparedStatement statement =
        context.statement(
            "UPDATE message SET deleted = ?, version = ?"
                + " WHERE id = ? AND sender = ? AND NOT deleted");
    statement.setBoolean(1, true);
    statement.setLong(2, context.version());
    statement.setString(3, args.id);
    statement.setString(4, context.userID());
    if (statement.executeUpdate() == 0) {
      throw new IllegalArgumentException("no message '" + args.id + "' of the sender to delete");
    }
  }

  /** The chat's client view: {@code message/<id>} keys, as {@link #install} registers it. */
  public static ClientView clientView() {
    return ChatDomain::changes;
  }

  static void changes(
      Connection connection, long since, java.util.function.Consumer<PatchOperation> out)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, sender, content, ord, deleted FROM message WHERE version > ? ORDER BY id")) {
      statement.setLong(1, since);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String key = "message/" + rows.getString(1);
          if (rows.getBoolean(5)) {
            if (since > 0) out.accept(PatchOperation.del(key)); // A first pull starts from clear.
            continue;
          }
          out.accept(
              PatchOperation.put(
                  key, value(rows.getString(2), rows.getString(3), rows.getLong(4))));
        }
      }
    }
  }

  private static RawJson value(String from, String content, long order) {
    return RawJson.build(
        w ->
            w.beginObject()
                .name("from")
                .value(from)
                .name("content")
                .value(content)
                .name("order")
                .value(order)
                .endObject());
  }

  private static void require(Object value, String name) {
    if (value == null) throw new IllegalArgumentException("missing '" + name + "'");
  }
}
