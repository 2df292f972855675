package dev.tandem.server.internal.schema;

import com.squareup.moshi.Moshi;
import dev.tandem.Mutators;
import dev.tandem.internal.app.BoundMutators;
import dev.tandem.server.Mutator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * An app's shared mutators as server mutators: each runs the same code as on the client, through a
 * {@link ServerWriteTransaction} inside the push transaction. A server-only override of the same
 * name runs instead of the shared one.
 */
public final class SharedMutators {
  private SharedMutators() {}

  /**
   * Server mutators for {@code shared}, with {@code overrides} replacing those of the same name (or
   * adding server-only ones), args decoded through {@code moshi}.
   */
  public static Map<String, Mutator> of(
      SchemaStorage storage, Mutators shared, Mutators overrides, Moshi moshi) {
    BoundMutators sharedBound = BoundMutators.bind(shared, moshi);
    BoundMutators overrideBound = BoundMutators.bind(overrides, moshi);
    Set<String> names = new LinkedHashSet<>(shared.names());
    names.addAll(overrides.names());
    Map<String, Mutator> mutators = new LinkedHashMap<>();
    for (String name : names) {
      boolean override = overrides.has(name);
      BoundMutators source = override ? overrideBound : sharedBound;
      mutators.put(
          name,
          (context, args) -> {
            ServerWriteTransaction tx =
                new ServerWriteTransaction(storage, context, context.mutationID(), override);
            source.run(name, tx, args);
            // A write the permissions refused refuses the whole mutation, even if it was caught.
            if (tx.denied() != null) throw tx.denied();
          });
    }
    return mutators;
  }
}
