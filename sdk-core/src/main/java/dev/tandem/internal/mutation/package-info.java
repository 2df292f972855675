/**
 * Running mutators: {@link dev.tandem.internal.app.BoundMutators} (the registered mutators and
 * their args adapters), {@link dev.tandem.internal.mutation.Mutations} (a new mutation in one write
 * of the store with its pending record, and a pending one replayed during a rebase), and the
 * transactions mutators and queries see ({@link dev.tandem.internal.mutation.RealReadTransaction},
 * and {@code RealWriteTransaction}, which records each key's prior value in the undo log). Not an
 * API: it may change in any release.
 */
package dev.tandem.internal.mutation;
