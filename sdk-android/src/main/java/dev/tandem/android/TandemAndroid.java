package dev.tandem.android;

import android.content.Context;
import android.net.ConnectivityManager;
import dev.tandem.Tandem;
import dev.tandem.android.internal.AndroidSqlDriver;
import dev.tandem.android.internal.AndroidSync;
import dev.tandem.android.internal.HandlerScheduler;
import dev.tandem.internal.Internal;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.db.SqlDriverFactory;
import io.reactivex.rxjava3.core.Scheduler;
import java.io.Closeable;
import java.io.File;

/**
 * Tandem on Android. {@link #builder} gives a {@link Tandem.Builder} that keeps the database in the
 * app's database folder on the platform's SQLite, delivers results (live queries, status, events)
 * on the main thread, follows connectivity (offline and online; back online pushes and pulls at
 * once) and the app's lifecycle (interval pulls and the poke stream pause in the background; the
 * foreground pulls at once). Configure the rest (server, mutators, schema) as on the JVM:
 *
 * <pre>{@code
 * Tandem tandem =
 *     TandemAndroid.builder(context, "chat.db")
 *         .serverUrl("https://example.com/api/replicache")
 *         .mutator("createMessage", Message.class, (tx, m) -> tx.put("message/" + m.id, m))
 *         .build();
 * }</pre>
 *
 * Build one instance per database for the life of the process (in {@code Application.onCreate}, or
 * a singleton), and close it when done. Needs the {@code INTERNET} and {@code ACCESS_NETWORK_STATE}
 * permissions, which the AAR's manifest declares.
 */
public final class TandemAndroid {
  private TandemAndroid() {}

  /**
   * A builder for the database {@code name} in {@link Context#getDatabasePath}, with Android's
   * SQLite, main-thread delivery and the connectivity and lifecycle callbacks.
   */
  public static Tandem.Builder builder(Context context, String name) {
    final Context app =
        context.getApplicationContext() != null ? context.getApplicationContext() : context;
    Tandem.Builder builder =
        Tandem.builder()
            .databaseFile(app.getDatabasePath(name))
            .resultScheduler(mainThread())
            .networkAvailable(
                AndroidSync.isOnline(
                    (ConnectivityManager) app.getSystemService(Context.CONNECTIVITY_SERVICE)));
    Internal internal = Internal.get();
    internal.driverFactory(
        builder,
        new SqlDriverFactory() {
          @Override
          public SqlDriver open(File file, boolean fullSync) {
            return new AndroidSqlDriver(file, fullSync);
          }
        });
    internal.attach(
        builder,
        new Internal.Attachment() {
          @Override
          public Closeable attach(Tandem tandem) {
            return AndroidSync.attach(app, tandem);
          }
        });
    return builder;
  }

  /** An RxJava scheduler on the main thread, for {@code observeOn} in the app's own streams. */
  public static Scheduler mainThread() {
    return HandlerScheduler.mainThread();
  }
}
