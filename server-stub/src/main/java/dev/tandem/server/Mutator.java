package dev.tandem.server;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import dev.tandem.protocol.RawJson;
import java.io.IOException;

/**
 * A server-side mutator: applies one mutation inside the push transaction, through {@link
 * MutationContext#connection()}, stamping every row it changes with {@link
 * MutationContext#version()}.
 *
 * <p>Throwing rejects the mutation for good: its effects are rolled back and the client's
 * lastMutationID still advances, so the client is never blocked by a mutation the server will never
 * accept (PROTOCOL.md, server rule 3). Mutators run on the push thread, one at a time per database.
 */
@FunctionalInterface
public interface Mutator {
  void apply(MutationContext context, RawJson args) throws Exception;

  /**
   * A mutator whose JSON args are decoded to {@code argsType} with Moshi first, strictly: a string
   * where a number belongs ({@code "order": "1"}), or a number where a string belongs, fails the
   * mutation instead of being converted. Args that do not decode fail it too.
   */
  static <T> Mutator typed(Class<T> argsType, Typed<T> mutator) {
    JsonAdapter<T> adapter = StrictScalars.MOSHI.adapter(argsType).nonNull();
    return (context, args) -> {
      T decoded;
      try {
        decoded = adapter.fromJson(args.reader());
      } catch (IOException | JsonDataException e) {
        throw new IllegalArgumentException(
            "bad args for " + argsType.getSimpleName() + ": " + e.getMessage(), e);
      }
      mutator.apply(context, decoded);
    };
  }

  /** A mutator with decoded args. */
  @FunctionalInterface
  interface Typed<T> {
    void apply(MutationContext context, T args) throws Exception;
  }
}
