package dev.tandem.sample.chat;

import dev.tandem.AppDefinition;
import dev.tandem.Column;
import dev.tandem.Mutators;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.Schema;
import dev.tandem.Table;
import dev.tandem.WriteTransaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat of the Replicache tutorial, defined once for the client ({@code Tandem.builder().app(new
 * ChatApp())}) and the Tandem server ({@code --app dev.tandem.sample.chat.ChatApp}): the {@code
 * message} table ({@code id}, {@code sender} synced as the field {@code from}, {@code content},
 * {@code order}) and the mutators {@code createMessage}, {@code updateMessage} and {@code
 * deleteMessage}. On the server a message belongs to its sender: {@code createMessage} must name
 * the authenticated user, and only the sender may change or delete it. Depends on app-definition
 * only (the server loads it beside its own jar).
 */
public final class ChatApp implements AppDefinition {
  /** Args of {@code createMessage}, as the tutorial's JavaScript client sends them. */
  public static final class CreateMessage {
    public String id;
    public String from;
    public String content;
    public long order;

    public CreateMessage() {}

    CreateMessage(String id, String from, String content, long order) {
      this.id = id;
      this.from = from;
      this.content = content;
      this.order = order;
    }
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

  public static final Schema SCHEMA =
      Schema.builder()
          .version(1)
          .table(
              Table.named("message")
                  .columns(
                      Column.string("id"),
                      Column.string("sender").from("from"),
                      Column.string("content"),
                      Column.number("order"))
                  .primaryKey("id")
                  .index("order"))
          .build();

  public static final Mutators MUTATORS =
      Mutators.builder()
          .add("createMessage", CreateMessage.class, ChatApp::create)
          .add("updateMessage", UpdateMessage.class, ChatApp::update)
          .add("deleteMessage", DeleteMessage.class, ChatApp::delete)
          .build();

  /** Public and without arguments, so the server can create it by name. */
  public ChatApp() {}

  @Override
  public Schema schema() {
    return SCHEMA;
  }

  @Override
  public Mutators mutators() {
    return MUTATORS;
  }

  static void create(WriteTransaction tx, CreateMessage m) {
    require(m.id, "id");
    require(m.from, "from");
    require(m.content, "content");
    if (authoritative(tx) && !m.from.equals(tx.userID())) {
      throw new IllegalStateException(
          "a message is sent as its sender: " + tx.userID() + " cannot send as " + m.from);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", m.id);
    row.put("sender", m.from);
    row.put("content", m.content);
    row.put("order", (double) m.order);
    tx.table("message").insert(row);
  }

  static void update(WriteTransaction tx, UpdateMessage m) {
    require(m.content, "content");
    ownedBySender(tx, m.id);
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("id", m.id);
    change.put("content", m.content);
    tx.table("message").update(change);
  }

  static void delete(WriteTransaction tx, DeleteMessage m) {
    ownedBySender(tx, m.id);
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("id", m.id);
    tx.table("message").delete(key);
  }

  /** On the server, only the message's sender may change it. */
  private static void ownedBySender(WriteTransaction tx, String id) {
    require(id, "id");
    if (!authoritative(tx)) return;
    List<Row> found = tx.query(Query.from("message").where("id", "=", id));
    if (found.isEmpty()) throw new IllegalStateException("no message " + id);
    String sender = found.get(0).getString("sender");
    if (!sender.equals(tx.userID())) {
      throw new IllegalStateException(
          "message " + id + " is " + sender + "'s; " + tx.userID() + " may not change it");
    }
  }

  private static boolean authoritative(WriteTransaction tx) {
    return tx.reason() == WriteTransaction.Reason.AUTHORITATIVE;
  }

  private static void require(Object value, String field) {
    if (value == null) throw new IllegalArgumentException("'" + field + "' is required");
  }
}
