package dev.tandem.internal.store;

import com.squareup.moshi.Moshi;
import dev.tandem.Schema;
import dev.tandem.SchemaViolationListener;
import dev.tandem.internal.Tasks;
import dev.tandem.internal.app.JsonCodec;
import dev.tandem.internal.db.JdbcSqlDriver;
import dev.tandem.internal.db.SqlDriver;
import dev.tandem.internal.db.SqlDriverFactory;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * {@code Tandem.Builder.build()}'s opening of the local store: on a thread of its own when {@link
 * #startInBackground} is called (so a fresh process loads SQLite while the builder's thread binds
 * the mutators and loads the rest), or on the thread that awaits it. Schema violations found while
 * opening are held and reported on the thread of {@code build()}, as documented, by {@link
 * #releaseViolations}.
 */
public final class StoreOpening implements Callable<LocalStore> {
  private final File file;
  private final boolean fullSync;
  private final SqlDriverFactory factory;
  private final Schema schema;
  private final String schemaVersion;
  private final Callable<Moshi> moshi;
  private final Identity identity;
  private final DeferredViolations violations;
  private final FutureTask<LocalStore> task = new FutureTask<>(this);
  private volatile SqlDriver driver;

  /**
   * Opens {@code file} with {@code factory}'s driver (null: the JDBC one), taking {@code
   * identity}'s IDs if it is a new database ({@link LocalStore#open}); {@code moshi} is asked for
   * the app's Moshi on the opening thread.
   */
  public StoreOpening(
      File file,
      boolean fullSync,
      SqlDriverFactory factory,
      Schema schema,
      String schemaVersion,
      Callable<Moshi> moshi,
      SchemaViolationListener violations,
      Identity identity) {
    this.file = file;
    this.fullSync = fullSync;
    this.factory = factory;
    this.schema = schema;
    this.schemaVersion = schemaVersion;
    this.moshi = moshi;
    this.violations = new DeferredViolations(violations);
    this.identity = identity;
  }

  public void startInBackground() {
    Runnable open =
        () -> {
          task.run();
          // Then, while build() finishes, a reader connection for the first query (pooled).
          SqlDriver opened = driver;
          if (opened == null || !task.isDone()) return;
          try {
            opened.releaseReader(opened.acquireReader());
          } catch (RuntimeException e) {
            // Closed meanwhile, or the first query will open its own and report the failure.
          }
        };
    Thread thread = new Thread(open, "tandem-open");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public LocalStore call() throws Exception {
    SqlDriver opened =
        factory == null ? new JdbcSqlDriver(file, fullSync) : factory.open(file, fullSync);
    driver = opened;
    try {
      return LocalStore.open(
          opened, schema, schemaVersion, new JsonCodec(moshi.call()), violations, identity);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  /** The store, opened here if no thread has started it; its failure rethrown as it was. */
  public LocalStore await() {
    return Tasks.runOrAwait(task); // Through interrupts: the file must not be left open.
  }

  /** Waits for the store and closes it (build() failed meanwhile). */
  public void discard() {
    try {
      await().close();
    } catch (RuntimeException | Error e) {
      // The failure that made build() give up is the one reported.
    }
  }

  /** Closes the opened database (build() failed after {@link #await}). */
  public void closeDriver() {
    driver.close();
  }

  /** Reports the violations held, on this thread; from now on they go straight through. */
  public void releaseViolations() {
    violations.release();
  }

  /** Holds schema violations until {@link #release}, then passes them (and later ones) on. */
  private static final class DeferredViolations implements SchemaViolationListener {
    private final SchemaViolationListener target;
    private List<String[]> held = new ArrayList<>();

    DeferredViolations(SchemaViolationListener target) {
      this.target = target;
    }

    @Override
    public void violated(String table, String key, String json, String problem) {
      synchronized (this) {
        if (held != null) {
          held.add(new String[] {table, key, json, problem});
          return;
        }
      }
      target.violated(table, key, json, problem);
    }

    void release() {
      List<String[]> taken;
      synchronized (this) {
        taken = held;
        held = null;
      }
      for (String[] v : taken) {
        try {
          target.violated(v[0], v[1], v[2], v[3]);
        } catch (RuntimeException e) {
          RxJavaPlugins.onError(e); // As a listener's failure is reported elsewhere.
        }
      }
    }
  }
}
