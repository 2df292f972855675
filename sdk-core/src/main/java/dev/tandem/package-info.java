/**
 * Tandem, an offline-first store that syncs with a Replicache-protocol server: {@link
 * dev.tandem.Tandem} and its builder, {@link dev.tandem.Mutator}s and the transactions they write
 * through, the typed {@link dev.tandem.Schema} and its {@link dev.tandem.Query}s, and the sync
 * status and events.
 */
package dev.tandem;
