/**
 * The local database of one client. {@link dev.tandem.internal.store.LocalStore} holds its identity
 * and the one way to read it ({@code read}: a reader connection, concurrent with writes) and the
 * one way to write it ({@code write}: the write lock, one transaction, violations reported and
 * changes announced after the lock is released). Below it: {@link
 * dev.tandem.internal.store.ClientView}, the key space split between {@link
 * dev.tandem.internal.store.TypedTable}s (schema tables) and the plain key/value table; the
 * bookkeeping tables ({@link dev.tandem.internal.store.Meta}, {@link
 * dev.tandem.internal.store.PendingQueue} of {@link dev.tandem.internal.store.Pending} mutations,
 * the undo log); {@link dev.tandem.internal.store.KeySet}, what a query read or a commit changed;
 * and {@link dev.tandem.internal.store.JsonCodec}, the app's Moshi. Not an API: it may change in
 * any release.
 */
package dev.tandem.internal.store;
