package dev.tandem;

/** The tutorial's chat mutators on the client, as a test app registers them. */
final class ChatMutators {
  private ChatMutators() {}

  static final class Message {
    String from;
    String content;
    long order;

    Message() {}

    Message(String from, String content, long order) {
      this.from = from;
      this.content = content;
      this.order = order;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Message
          && ((Message) o).from.equals(from)
          && ((Message) o).content.equals(content)
          && ((Message) o).order == order;
    }

    @Override
    public int hashCode() {
      return content.hashCode();
    }

    @Override
    public String toString() {
      return from + ": " + content + " #" + order;
    }
  }

  static final class CreateMessage {
    String id;
    String from;
    String content;
    long order;

    CreateMessage(String id, String from, String content, long order) {
      this.id = id;
      this.from = from;
      this.content = content;
      this.order = order;
    }
  }

  static final class UpdateMessage {
    String id;
    String content;

    UpdateMessage(String id, String content) {
      this.id = id;
      this.content = content;
    }
  }

  static final class DeleteMessage {
    String id;

    DeleteMessage(String id) {
      this.id = id;
    }
  }

  static final class Increment {
    String key;
    long by;

    Increment(String key, long by) {
      this.key = key;
      this.by = by;
    }
  }

  static Tandem.Builder register(Tandem.Builder builder) {
    return builder
        .mutator(
            "createMessage",
            CreateMessage.class,
            (tx, m) -> tx.put("message/" + m.id, new Message(m.from, m.content, m.order)))
        .mutator(
            "updateMessage",
            UpdateMessage.class,
            (tx, m) -> {
              Message message = tx.get("message/" + m.id, Message.class);
              if (message == null) throw new IllegalStateException("no message " + m.id);
              message.content = m.content;
              tx.put("message/" + m.id, message);
            })
        .mutator("deleteMessage", DeleteMessage.class, (tx, m) -> tx.del("message/" + m.id))
        .mutator(
            "increment",
            Increment.class,
            (tx, m) -> {
              Double value = tx.get("counter/" + m.key, Double.class);
              tx.put("counter/" + m.key, (value == null ? 0 : value.longValue()) + m.by);
            })
        .mutator(
            "fail",
            String.class,
            (tx, key) -> {
              tx.put(key, "written before the throw");
              throw new IllegalStateException("refused");
            });
  }
}
