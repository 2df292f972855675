/**
 * Applying a pull (client rules 4 and 5): {@link dev.tandem.internal.rebase.PullApplier} applies a
 * pull response in one write of the store: revert the optimistic effects, write the patch as it
 * streams from the response ({@code PatchWriter}, and {@code PatchPipeline} when a large response
 * is parsed on a second thread), record the cookie and confirmations, replay what is still pending
 * ({@code Rebase}); anything wrong rolls it all back. Not an API: it may change in any release.
 */
package dev.tandem.internal.rebase;
