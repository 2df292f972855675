/**
 * Talking to the server: {@link dev.tandem.internal.sync.SyncEngine}, and {@link
 * dev.tandem.internal.sync.RealSyncEngine}, which owns the push loop ({@code Pusher}), the pull
 * loop ({@code Puller}) and the poke stream ({@code PokeStream}), or a local-only engine when there
 * is no server. {@link dev.tandem.internal.sync.SyncState} is what they share: the status, whether
 * syncing stopped, and who waits for {@code flush()} and {@code pull()}. Also here: {@link
 * dev.tandem.internal.sync.SyncConfig}, the HTTP requests ({@code Transport}, {@link
 * dev.tandem.internal.sync.Http}), {@link dev.tandem.internal.sync.Backoff}, and {@code Failures},
 * which types errors as {@link dev.tandem.SyncError}s. Not an API: it may change in any release.
 */
package dev.tandem.internal.sync;
