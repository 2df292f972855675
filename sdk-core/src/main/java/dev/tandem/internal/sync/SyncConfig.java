package dev.tandem.internal.sync;

import dev.tandem.AuthProvider;
import io.reactivex.rxjava3.core.Scheduler;
import okhttp3.OkHttpClient;

/** How a {@link SyncEngine} syncs: URLs, caps, delays, auth and threads. Immutable once built. */
public final class SyncConfig {
  public final String pushUrl;
  public final String pullUrl;
  public final String pokeUrl;
  public final String schemaVersion;
  public final AuthProvider auth;
  public final OkHttpClient httpClient;
  public final Scheduler scheduler;
  public final long pushDelayMillis;
  public final long pullIntervalMillis;
  public final long minBackoffMillis;
  public final long maxBackoffMillis;
  public final int maxPushBatchCount;
  public final long maxPushBatchBytes;

  public SyncConfig(
      String pushUrl,
      String pullUrl,
      String pokeUrl,
      String schemaVersion,
      AuthProvider auth,
      OkHttpClient httpClient,
      Scheduler scheduler,
      long pushDelayMillis,
      long pullIntervalMillis,
      long minBackoffMillis,
      long maxBackoffMillis,
      int maxPushBatchCount,
      long maxPushBatchBytes) {
    this.pushUrl = pushUrl;
    this.pullUrl = pullUrl;
    this.pokeUrl = pokeUrl;
    this.schemaVersion = schemaVersion;
    this.auth = auth;
    this.httpClient = httpClient;
    this.scheduler = scheduler;
    this.pushDelayMillis = pushDelayMillis;
    this.pullIntervalMillis = pullIntervalMillis;
    this.minBackoffMillis = minBackoffMillis;
    this.maxBackoffMillis = maxBackoffMillis;
    this.maxPushBatchCount = maxPushBatchCount;
    this.maxPushBatchBytes = maxPushBatchBytes;
  }

  /** A fresh backoff: each loop keeps its own. */
  Backoff backoff() {
    return new Backoff(minBackoffMillis, maxBackoffMillis);
  }
}
