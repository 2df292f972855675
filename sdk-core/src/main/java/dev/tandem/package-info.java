/**
 * Tandem's API: an offline-first store that syncs with a Replicache-protocol server. {@link
 * dev.tandem.Tandem} and its {@link dev.tandem.Tandem.Builder} open a database file and start
 * syncing; {@link dev.tandem.Mutator}s change data through a {@link dev.tandem.WriteTransaction};
 * {@link dev.tandem.ReadQuery} and the typed {@link dev.tandem.Query} (over a {@link
 * dev.tandem.Schema} of {@link dev.tandem.Table}s, {@link dev.tandem.Column}s and {@link
 * dev.tandem.Relationship}s) read it, once or live; {@link dev.tandem.SyncStatus}, {@link
 * dev.tandem.SyncError} and {@link dev.tandem.UpdateNeeded} report how syncing goes. Everything
 * else lives in {@code dev.tandem.internal} and its subpackages, which are not API.
 */
package dev.tandem;
