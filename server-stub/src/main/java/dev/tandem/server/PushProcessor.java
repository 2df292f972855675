package dev.tandem.server;

import dev.tandem.protocol.ErrorResponse;
import dev.tandem.protocol.Mutation;
import dev.tandem.protocol.PushRequest;
import dev.tandem.server.internal.KeptStatements;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a push (PROTOCOL.md, server rules 1–7) in one transaction at version + 1: duplicates are
 * skipped, a mutator that throws is rolled back and its ID still counts, a gap stops processing and
 * commits what came before it, and an unknown client that does not start at 1 gets {@code
 * ClientStateNotFound}.
 *
 * <p>The transaction's first statement takes the push lock, moves the version up and reads the
 * group's owner and the first client's row ({@link PushStart#sql}); on Postgres it also writes that
 * row as the push will most likely leave it, which the push corrects if it does not. A push that
 * changes nothing rolls back, so the version moves only when something changed.
 */
final class PushProcessor {
  /** What a push did. {@code response} is what to answer. */
  static final class Outcome {
    final HandlerResponse response;
    final int processed;
    final int failed;
    final int skipped;
    final long version; // 0 when nothing committed
    final boolean claimed; // this push claimed the group for its user, and committed

    Outcome(
        HandlerResponse response,
        int processed,
        int failed,
        int skipped,
        long version,
        boolean claimed) {
      this.response = response;
      this.processed = processed;
      this.failed = failed;
      this.skipped = skipped;
      this.version = version;
      this.claimed = claimed;
    }
  }

  private final Transactor transactor;
  private final MutationRunner runner;
  private final Dialect dialect;
  private final Pokes pokes;
  private final String startPush;
  private final String instanceID;
  private final ClientGc gc;
  private final KeptStatements kept = new KeptStatements();

  /**
   * {@code relay}: on Postgres, the relay whose instance ID the push's notification carries to the
   * other instances; null sends none.
   */
  PushProcessor(
      Transactor transactor,
      Map<String, Mutator> mutators,
      Dialect dialect,
      Pokes pokes,
      PokeRelay relay,
      ClientGc gc) {
    this.transactor = transactor;
    this.gc = gc;
    this.runner = new MutationRunner(mutators, dialect);
    this.dialect = dialect;
    this.pokes = pokes;
    this.instanceID = relay == null ? null : relay.instanceID();
    this.startPush = transactor.locking(PushStart.sql(dialect, relay != null));
  }

  /**
   * Applies the push. Mutations first run without savepoints (two statements, and on Postgres two
   * round trips, fewer per mutation); if one throws, the transaction rolls back and the push runs
   * again with a savepoint around each mutation. Mutators are deterministic, so the second run
   * makes the same decisions.
   */
  Outcome process(String userID, PushRequest push) throws Exception {
    Outcome outcome;
    try {
      outcome = transactor.writeLocking(connection -> apply(connection, userID, push, false));
    } catch (MutationRunner.MutatorFailed e) {
      outcome = transactor.writeLocking(connection -> apply(connection, userID, push, true));
    }
    // Streams of the group opened by others end, before the poke.
    if (outcome.claimed) pokes.owner(push.clientGroupID(), userID);
    return outcome;
  }

  private Outcome apply(Connection connection, String userID, PushRequest push, boolean savepoints)
      throws Exception {
    try (StatementCache statements = new StatementCache(connection)) {
      return apply(connection, statements, userID, push, savepoints);
    }
  }

  /** A client as this push sees it. */
  private static final class ClientState {
    final boolean exists;
    long lastMutationID;
    boolean changed;

    ClientState(boolean exists, long lastMutationID) {
      this.exists = exists;
      this.lastMutationID = lastMutationID;
    }
  }

  private Outcome apply(
      Connection connection,
      StatementCache statements,
      String userID,
      PushRequest push,
      boolean savepoints)
      throws Exception {
    String groupID = push.clientGroupID();
    List<Mutation> mutations = push.mutations();
    String firstClientID = mutations.isEmpty() ? null : mutations.get(0).clientID();
    // What the first client's row will say if all goes as usual: its last mutation in the push.
    long speculate = 0;
    for (Mutation mutation : mutations) {
      if (mutation.clientID().equals(firstClientID)) speculate = Math.max(speculate, mutation.id());
    }
    PushStart start =
        PushStart.run(
            kept, connection, dialect, startPush, groupID, firstClientID, speculate, instanceID);
    boolean claimed = start.owner == null;
    long now = gc.now();
    if (claimed) {
      ClientGroups.claimGroup(connection, groupID, userID, now);
    } else if (!start.owner.equals(userID)) {
      throw new Transactor.Rollback(forbidden());
    } else if (gc.stale(start.lastActive, now)) {
      ClientGroups.touchGroup(connection, groupID, now);
    }

    long version = start.version;
    Map<String, ClientState> clients = new LinkedHashMap<>();
    int processed = 0;
    int failed = 0;
    int skipped = 0;
    String gap = null;
    for (Mutation mutation : mutations) {
      String clientID = mutation.clientID();
      ClientState client = clients.get(clientID);
      if (client == null) {
        // The first statement read the first client's row.
        Clients.ClientRow row =
            clients.isEmpty() ? start.client : Clients.client(connection, clientID);
        if (row != null && !row.groupID.equals(groupID)) {
          throw new Transactor.Rollback(forbidden());
        }
        if (row == null && mutation.id() > 1) {
          // An unknown client past its first mutation: the server lost its state (rule 7).
          throw new Transactor.Rollback(
              outcome(HandlerResponse.ok(ErrorResponse.clientStateNotFound()), 0, 0, 0, 0));
        }
        client = new ClientState(row != null, row == null ? 0L : row.lastMutationID);
        clients.put(clientID, client);
      }
      long expected = client.lastMutationID + 1;
      if (mutation.id() < expected) {
        skipped++;
        continue;
      }
      if (mutation.id() > expected) {
        gap =
            "mutation "
                + mutation.id()
                + " of client "
                + clientID
                + " skips ahead: expected "
                + expected
                + "; it and every mutation after it were not applied";
        break;
      }
      if (runner.run(connection, statements, mutation, userID, push, version, savepoints)) {
        processed++;
      } else {
        failed++;
      }
      client.lastMutationID = mutation.id();
      client.changed = true;
    }

    HandlerResponse response =
        gap == null ? HandlerResponse.ok("{}") : HandlerResponse.error(409, gap);
    List<Clients.ClientChange> changes = new ArrayList<>(clients.size());
    boolean changed = false;
    for (Map.Entry<String, ClientState> entry : clients.entrySet()) {
      ClientState client = entry.getValue();
      changed |= client.changed;
      if (start.speculated
          && entry.getKey().equals(firstClientID)
          && client.changed
          && client.lastMutationID == speculate) {
        continue; // The first statement wrote just this.
      }
      if (client.changed) {
        changes.add(new Clients.ClientChange(entry.getKey(), client.exists, client.lastMutationID));
      }
    }
    if (start.speculated && changed) {
      ClientState first = clients.get(firstClientID);
      if (!first.changed) { // Resends or a gap only: the row as it was.
        Clients.updateClient(
            kept, connection, firstClientID, start.client.lastMutationID, start.clientVersion);
      }
    }
    if (!changed) {
      // Nothing changed (resends only, or a gap first): the version must not move.
      if (!claimed) throw new Transactor.Rollback(outcome(response, 0, 0, skipped, 0));
      if (start.speculated) {
        Clients.updateClient(
            kept, connection, firstClientID, start.client.lastMutationID, start.clientVersion);
      }
      Bookkeeping.setVersion(connection, version - 1); // Keep the claim, undo the version step.
      return new Outcome(response, 0, 0, skipped, 0, true);
    }
    Clients.saveClients(kept, connection, groupID, version, changes);
    return new Outcome(response, processed, failed, skipped, version, claimed);
  }

  private static Outcome outcome(
      HandlerResponse response, int processed, int failed, int skipped, long version) {
    return new Outcome(response, processed, failed, skipped, version, false);
  }

  private static Outcome forbidden() {
    return outcome(
        HandlerResponse.error(403, "this client group belongs to another user"), 0, 0, 0, 0);
  }
}
