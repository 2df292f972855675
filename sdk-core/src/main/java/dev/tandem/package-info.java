/**
 * The Tandem client: an offline-first store that syncs with a Replicache-protocol server.
 *
 * <p>The engine (local store, mutators, push, pull, rebase, live queries) arrives with issue 4;
 * until then this module carries the build checks that keep it Android-compatible.
 */
package dev.tandem;
