package dev.tandem.internal.app;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import com.squareup.moshi.Moshi;
import dev.tandem.Mutator;
import dev.tandem.Mutators;
import dev.tandem.WriteTransaction;
import dev.tandem.protocol.RawJson;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An app's {@link Mutators} with their args adapters resolved through one side's Moshi: what the
 * client's and the server's engines run. Immutable; thread-safe.
 */
public final class BoundMutators {
  /** One mutator, bound to its adapter. */
  public static final class Bound<A> {
    private final String name;
    private final Class<A> argsType;
    private final Mutator<A> mutator;
    private final JsonAdapter<A> adapter;

    /**
     * The args are an immutable JSON-native value ({@link String}, {@link Boolean}, {@link Long},
     * {@link Integer}, {@link Double}) read and written by Moshi's own adapter: decoding their JSON
     * gives back an equal value (see {@link #roundTrips}), so a new mutation's mutator may be
     * handed the caller's value itself.
     */
    private final boolean nativeArgs;

    Bound(String name, Class<A> argsType, Mutator<A> mutator, Moshi moshi) {
      this.name = name;
      this.argsType = argsType;
      this.mutator = mutator;
      this.nativeArgs =
          NATIVE.contains(argsType)
              && moshi.adapter(argsType).toString().equals(STANDARD.adapter(argsType).toString());
      JsonAdapter<A> read =
          argsType == Void.class ? voidAdapter() : moshi.adapter(argsType).nullSafe();
      // A Map's null entry is a value the app put there (JSON.stringify writes {"a": null} too);
      // an object's null field is one it left unset, left out as JavaScript leaves out undefined.
      this.adapter = java.util.Map.class.isAssignableFrom(argsType) ? read.serializeNulls() : read;
    }

    /**
     * Moshi has no adapter for {@code Void}: its args are {@code null}, and any value reads as
     * null.
     */
    private static <A> JsonAdapter<A> voidAdapter() {
      return new JsonAdapter<A>() {
        @Override
        public A fromJson(JsonReader reader) throws IOException {
          reader.skipValue();
          return null;
        }

        @Override
        public void toJson(JsonWriter writer, A value) throws IOException {
          writer.nullValue();
        }
      };
    }

    RawJson encode(Object args) {
      if (args == null && argsType != Void.class) {
        throw new IllegalArgumentException(
            "mutator '" + name + "' takes " + argsType.getName() + ", not null");
      }
      if (args != null && !argsType.isInstance(args)) {
        throw new IllegalArgumentException(
            "mutator '"
                + name
                + "' takes "
                + argsType.getName()
                + ", not "
                + args.getClass().getName());
      }
      final A typed = argsType.cast(args);
      // Moshi's writer only writes well-formed JSON: no need to parse it again.
      return RawJson.build(writer -> adapter.toJson(writer, typed));
    }

    /**
     * True if {@code args}, of a {@link #nativeArgs} type, decodes from its JSON to an equal value.
     * Moshi's writer writes each of these types exactly (integers as integers, a double as {@link
     * Double#toString}, which parses back to the same double, {@code -0.0} included; NaN and the
     * infinities are refused by {@link #encode}) and its reader reads them back; the one exception
     * is a string with an unpaired surrogate, which becomes {@code ?} in UTF-8.
     */
    static boolean roundTrips(Object args) {
      if (!(args instanceof String)) return true;
      return JsonCodec.wellFormed((String) args);
    }

    /**
     * Runs a new mutation: {@code args} is what the caller passed, {@code json} what {@link
     * #encode} made of it. The mutator sees what a replay of {@code json} will see: the value
     * decoded from {@code json}, or {@code args} itself when it is immutable and equal to that
     * ({@link #nativeArgs}, {@link #roundTrips}), which saves the decoding.
     */
    void runNew(WriteTransaction tx, RawJson json, Object args) throws Exception {
      if (nativeArgs && args != null && roundTrips(args)) {
        mutator.mutate(tx, argsType.cast(args));
        return;
      }
      run(tx, json);
    }

    void run(WriteTransaction tx, RawJson args) throws Exception {
      A decoded;
      try {
        decoded = adapter.fromJson(args.toString());
      } catch (IOException | JsonDataException e) {
        throw new IllegalArgumentException(
            "cannot read " + argsType.getSimpleName() + " from " + args + ": " + e.getMessage(), e);
      }
      if (decoded == null && argsType != Void.class) {
        throw new IllegalArgumentException(
            "mutator '" + name + "' takes " + argsType.getSimpleName() + ", not null");
      }
      mutator.mutate(tx, decoded);
    }
  }

  /** Args types a mutator may be handed as the caller passed them: see {@code Bound.nativeArgs}. */
  private static final java.util.Set<Class<?>> NATIVE =
      new java.util.HashSet<Class<?>>(
          java.util.Arrays.<Class<?>>asList(
              String.class, Boolean.class, Long.class, Integer.class, Double.class));

  /** Moshi with its built-in adapters only: what an app's adapter for a type is compared to. */
  private static final Moshi STANDARD = new Moshi.Builder().build();

  private final Map<String, Bound<?>> byName;

  BoundMutators(Map<String, Bound<?>> byName) {
    this.byName = byName;
  }

  /** Binds {@code mutators} to adapters from {@code moshi}. */
  public static BoundMutators bind(Mutators mutators, Moshi moshi) {
    return ApiAccess.get().bind(mutators, moshi);
  }

  /** Binds one mutator (for {@link Mutators}). */
  public static <A> Bound<A> bound(
      String name, Class<A> argsType, Mutator<A> mutator, Moshi moshi) {
    return new Bound<>(name, argsType, mutator, moshi);
  }

  /** The bound mutators, by name (for {@link Mutators}). */
  public static BoundMutators of(Map<String, Bound<?>> byName) {
    return new BoundMutators(new LinkedHashMap<>(byName));
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** The JSON of {@code args} for mutator {@code name}; fails fast on misuse. */
  public RawJson encode(String name, Object args) {
    return bound(name).encode(args);
  }

  /**
   * Decodes {@code args} and runs mutator {@code name} on {@code tx}.
   *
   * @throws IllegalArgumentException if the mutator is unknown or the args do not decode.
   * @throws Exception whatever the mutator throws.
   */
  public void run(String name, WriteTransaction tx, RawJson args) throws Exception {
    bound(name).run(tx, args);
  }

  /**
   * Runs a new mutation of mutator {@code name}: {@code args} as the caller passed them, {@code
   * json} their {@link #encode}d JSON. Its mutator sees exactly what {@link #run} of {@code json}
   * (a replay) shows it, without decoding when the args are an immutable JSON-native value that
   * decodes to itself.
   */
  public void runNew(String name, WriteTransaction tx, RawJson json, Object args) throws Exception {
    bound(name).runNew(tx, json, args);
  }

  private Bound<?> bound(String name) {
    Bound<?> bound = byName.get(name);
    if (bound == null) {
      throw new IllegalArgumentException("mutator '" + name + "' is not registered");
    }
    return bound;
  }
}
