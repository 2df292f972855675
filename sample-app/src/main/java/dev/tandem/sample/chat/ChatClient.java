package dev.tandem.sample.chat;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import dev.tandem.AuthProvider;
import dev.tandem.PendingMutation;
import dev.tandem.Query;
import dev.tandem.Row;
import dev.tandem.SyncStatus;
import dev.tandem.Tandem;
import dev.tandem.UpdateNeeded;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Observable;
import java.io.File;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat on Tandem: the shared {@link ChatApp} definition (the {@code message} table and the
 * tutorial's mutators), and a live, ordered message list that marks what the server has not
 * confirmed yet.
 */
final class ChatClient implements AutoCloseable {
  private static final JsonAdapter<ChatApp.CreateMessage> ARGS =
      new Moshi.Builder().build().adapter(ChatApp.CreateMessage.class);

  private final Tandem tandem;
  private final String user;
  private final AtomicLong lastOrder = new AtomicLong();

  ChatClient(String server, String user, File database, String schemaVersion, boolean offline) {
    this.user = user;
    Tandem.Builder builder =
        Tandem.builder()
            .databaseFile(database)
            .serverUrl(server)
            .app(new ChatApp())
            .auth(AuthProvider.of(user))
            .networkAvailable(!offline);
    if (schemaVersion != null) builder.schemaVersion(schemaVersion);
    this.tandem = builder.build();
  }

  String user() {
    return user;
  }

  /** Sends a message: shown at once as pending, confirmed when the server has it. */
  void send(String content) {
    long now = System.currentTimeMillis();
    long order = lastOrder.updateAndGet(last -> Math.max(last + 1, now));
    tandem.mutate(
        "createMessage",
        new ChatApp.CreateMessage(UUID.randomUUID().toString(), user, content, order));
  }

  /** The messages in order, re-emitted when they or their pending state change. */
  Flowable<List<ChatMessage>> messages() {
    Flowable<List<Row>> rows = tandem.watch(Query.from("message").orderBy("order"));
    Flowable<Long> pending =
        tandem
            .status()
            .map(SyncStatus::pendingCount)
            .distinctUntilChanged()
            .toFlowable(io.reactivex.rxjava3.core.BackpressureStrategy.LATEST);
    return Flowable.combineLatest(rows, pending, (list, count) -> toMessages(list))
        .distinctUntilChanged();
  }

  private List<ChatMessage> toMessages(List<Row> rows) {
    Set<String> pendingIDs = new HashSet<>();
    for (PendingMutation mutation : tandem.pendingMutations()) {
      if (!mutation.name().equals("createMessage")) continue;
      try {
        pendingIDs.add(ARGS.fromJson(mutation.argsJson()).id);
      } catch (java.io.IOException | RuntimeException e) {
        // Not a message we can show as pending; it still syncs.
      }
    }
    List<ChatMessage> messages = new ArrayList<>(rows.size());
    for (Row row : rows) {
      String id = row.getString("id");
      messages.add(
          new ChatMessage(
              id,
              row.getString("sender"),
              row.getString("content"),
              row.getNumber("order"),
              pendingIDs.contains(id)));
    }
    return messages;
  }

  Observable<SyncStatus> status() {
    return tandem.status();
  }

  Observable<UpdateNeeded> updateNeeded() {
    return tandem.updateNeeded();
  }

  /** What the app tells its user when the server wants a newer app: why, and which versions. */
  static String explain(UpdateNeeded update) {
    String why;
    switch (update.reason()) {
      case SCHEMA_TOO_OLD:
        why =
            "the server serves app versions "
                + update.minSchemaVersion()
                + (update.maxSchemaVersion() == null
                    ? " and up"
                    : " to " + update.maxSchemaVersion())
                + ", and this one is version "
                + update.clientSchemaVersion();
        break;
      case SCHEMA_NOT_SUPPORTED:
        why =
            "the server does not serve this app's version"
                + (update.clientSchemaVersion() == null ? "" : " " + update.clientSchemaVersion());
        break;
      case PROTOCOL:
        why = "the server does not speak this app's " + update.versionType() + " protocol version";
        break;
      default:
        why = "the server does not support this app's version";
    }
    return "This app is out of date: "
        + why
        + ". Update it to keep syncing; messages you write meanwhile are kept and sent after.";
  }

  /** Cuts the client off the network, or lets it back on (and sync at once). */
  void setOnline(boolean online) {
    tandem.setNetworkAvailable(online);
  }

  @Override
  public void close() {
    tandem.close();
  }
}
