package dev.tandem.internal.sync;

import dev.tandem.AuthProvider;
import io.reactivex.rxjava3.core.Scheduler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.FutureTask;
import okhttp3.OkHttpClient;

/** How a {@link SyncEngine} syncs: URLs, caps, delays, auth and threads. Immutable once built. */
public final class SyncConfig {
  public final String pushUrl;
  public final String pullUrl;

  /** The poke channels (server-sent-events URLs), each its own stream; empty for none. */
  public final List<String> pokeUrls;

  public final String schemaVersion;
  public final AuthProvider auth;
  public final OkHttpClient httpClient;

  /**
   * With no {@link #httpClient}, the default one, perhaps already being made on another thread
   * ({@link Http#defaultClient}); null to make it on first use.
   */
  public final FutureTask<OkHttpClient> defaultHttpClient;

  public final Scheduler scheduler;
  public final long pushDelayMillis;

  /** The least time between the starts of two pulls asked for by pokes. */
  public final long pullDelayMillis;

  public final long pullIntervalMillis;
  public final long minBackoffMillis;
  public final long maxBackoffMillis;
  public final int maxPushBatchCount;
  public final long maxPushBatchBytes;

  public SyncConfig(
      String pushUrl,
      String pullUrl,
      List<String> pokeUrls,
      String schemaVersion,
      AuthProvider auth,
      OkHttpClient httpClient,
      FutureTask<OkHttpClient> defaultHttpClient,
      Scheduler scheduler,
      long pushDelayMillis,
      long pullDelayMillis,
      long pullIntervalMillis,
      long minBackoffMillis,
      long maxBackoffMillis,
      int maxPushBatchCount,
      long maxPushBatchBytes) {
    this.pushUrl = pushUrl;
    this.pullUrl = pullUrl;
    this.pokeUrls = Collections.unmodifiableList(new ArrayList<>(pokeUrls));
    this.schemaVersion = schemaVersion;
    this.auth = auth;
    this.httpClient = httpClient;
    this.defaultHttpClient = defaultHttpClient;
    this.scheduler = scheduler;
    this.pushDelayMillis = pushDelayMillis;
    this.pullDelayMillis = pullDelayMillis;
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
