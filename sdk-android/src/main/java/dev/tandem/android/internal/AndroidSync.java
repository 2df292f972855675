package dev.tandem.android.internal;

import android.app.Activity;
import android.app.ActivityManager;
import android.app.Application;
import android.content.Context;
import android.net.ConnectivityManager;
import android.net.Network;
import android.net.NetworkCapabilities;
import android.net.NetworkRequest;
import android.os.Bundle;
import android.os.Handler;
import android.os.Looper;
import dev.tandem.Tandem;
import java.io.Closeable;
import java.util.HashSet;
import java.util.Set;

/**
 * Ties a {@link Tandem} to the device and the app: a {@link ConnectivityManager.NetworkCallback}
 * marks it online or offline (coming back online pushes and pulls at once), and activity lifecycle
 * callbacks mark the app foreground or background (interval pulls and the poke stream pause in the
 * background; returning pulls at once). Like AndroidX's {@code ProcessLifecycleOwner}, the app
 * counts as background only {@value #BACKGROUND_DELAY_MILLIS} ms after its last activity stopped,
 * so a rotation is not a trip to the background.
 */
public final class AndroidSync implements Closeable {
  static final long BACKGROUND_DELAY_MILLIS = 700;

  private final Tandem tandem;
  private final ConnectivityManager connectivity;
  private final Application application;
  private final Handler main = new Handler(Looper.getMainLooper());
  private final Set<Network> networks = new HashSet<>();
  private final Runnable toBackground =
      new Runnable() {
        @Override
        public void run() {
          setForeground(false);
        }
      };
  private int startedActivities;
  private boolean lifecycleSeen;
  private boolean closed;

  private final ConnectivityManager.NetworkCallback networkCallback =
      new ConnectivityManager.NetworkCallback() {
        @Override
        public void onAvailable(Network network) {
          boolean wasOnline;
          synchronized (AndroidSync.this) {
            wasOnline = !networks.isEmpty();
            networks.add(network);
          }
          if (!wasOnline) setNetworkAvailable(true);
        }

        @Override
        public void onLost(Network network) {
          boolean online;
          synchronized (AndroidSync.this) {
            networks.remove(network);
            online = !networks.isEmpty();
          }
          if (!online) setNetworkAvailable(false);
        }
      };

  private final Application.ActivityLifecycleCallbacks lifecycle =
      new Application.ActivityLifecycleCallbacks() {
        @Override
        public void onActivityStarted(Activity activity) {
          started();
        }

        @Override
        public void onActivityStopped(Activity activity) {
          stopped();
        }

        @Override
        public void onActivityCreated(Activity activity, Bundle savedInstanceState) {}

        @Override
        public void onActivityResumed(Activity activity) {}

        @Override
        public void onActivityPaused(Activity activity) {}

        @Override
        public void onActivitySaveInstanceState(Activity activity, Bundle outState) {}

        @Override
        public void onActivityDestroyed(Activity activity) {}
      };

  private AndroidSync(Context context, Tandem tandem) {
    this.tandem = tandem;
    this.connectivity =
        (ConnectivityManager) context.getSystemService(Context.CONNECTIVITY_SERVICE);
    this.application = (Application) context.getApplicationContext();
  }

  /** Starts following connectivity and the app's lifecycle; close to stop. */
  public static AndroidSync attach(Context context, Tandem tandem) {
    AndroidSync sync = new AndroidSync(context, tandem);
    sync.start();
    return sync;
  }

  private void start() {
    tandem.setNetworkAvailable(isOnline(connectivity));
    NetworkRequest request =
        new NetworkRequest.Builder()
            .addCapability(NetworkCapabilities.NET_CAPABILITY_INTERNET)
            .build();
    connectivity.registerNetworkCallback(request, networkCallback);
    application.registerActivityLifecycleCallbacks(lifecycle);
    synchronized (this) {
      // Unless a lifecycle callback already said (attach may run off the main thread).
      if (!lifecycleSeen) setForeground(appIsInForeground());
    }
  }

  private synchronized void started() {
    lifecycleSeen = true;
    main.removeCallbacks(toBackground);
    if (startedActivities++ == 0) setForeground(true);
  }

  /**
   * The last started activity stopped. Activities started before this instance attached were not
   * counted, so a stop that finds none counted is taken as the last one too.
   */
  private synchronized void stopped() {
    lifecycleSeen = true;
    if (startedActivities > 0) startedActivities--;
    if (startedActivities == 0) main.postDelayed(toBackground, BACKGROUND_DELAY_MILLIS);
  }

  /** What the connectivity manager says now; the callback keeps it current from here. */
  @SuppressWarnings("deprecation") // getActiveNetworkInfo is the API-21 way to ask.
  public static boolean isOnline(ConnectivityManager connectivity) {
    android.net.NetworkInfo info = connectivity.getActiveNetworkInfo();
    return info != null && info.isConnected();
  }

  private static boolean appIsInForeground() {
    ActivityManager.RunningAppProcessInfo info = new ActivityManager.RunningAppProcessInfo();
    ActivityManager.getMyMemoryState(info);
    return info.importance <= ActivityManager.RunningAppProcessInfo.IMPORTANCE_VISIBLE;
  }

  private synchronized void setNetworkAvailable(boolean available) {
    if (!closed) tandem.setNetworkAvailable(available);
  }

  private synchronized void setForeground(boolean foreground) {
    if (!closed) tandem.setForeground(foreground);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    main.removeCallbacks(toBackground);
    application.unregisterActivityLifecycleCallbacks(lifecycle);
    try {
      connectivity.unregisterNetworkCallback(networkCallback);
    } catch (IllegalArgumentException e) {
      // Not registered (registration failed): nothing to undo.
    }
  }
}
