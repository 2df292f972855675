/**
 * Tandem's engine, below the API in {@code dev.tandem}: {@code db} (the SQLite driver seam), {@code
 * store} (the local database and its one read and one write), {@code query}, {@code mutation},
 * {@code rebase} and {@code sync}, each depending only on the ones before it. This package itself
 * holds {@link dev.tandem.internal.Internal}, the bridge to what the public package keeps
 * package-private and the hooks platform modules (sdk-android) use on a {@link
 * dev.tandem.Tandem.Builder}, and {@link dev.tandem.internal.Ids}, the random client IDs. Not an
 * API: it may change in any release.
 */
package dev.tandem.internal;
