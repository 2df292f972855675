package dev.tandem;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.Moshi;
import dev.tandem.protocol.RawJson;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registered mutators, by name, with their args adapters. Immutable once built. */
final class Mutators {
  private static final class Registered<A> {
    final Class<A> argsType;
    final Mutator<A> mutator;
    final JsonAdapter<A> adapter;

    Registered(Class<A> argsType, Mutator<A> mutator, Moshi moshi) {
      this.argsType = argsType;
      this.mutator = mutator;
      this.adapter = moshi.adapter(argsType).nullSafe();
    }

    RawJson encode(String name, Object args) {
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

    void run(WriteTransaction tx, RawJson args) throws Exception {
      A decoded;
      try {
        decoded = adapter.fromJson(args.toString());
      } catch (IOException | JsonDataException e) {
        throw new IllegalArgumentException(
            "cannot read " + argsType.getSimpleName() + " from " + args + ": " + e.getMessage(), e);
      }
      mutator.mutate(tx, decoded);
    }
  }

  private final Map<String, Registered<?>> byName;

  private Mutators(Map<String, Registered<?>> byName) {
    this.byName = byName;
  }

  static final class Builder {
    private final Map<String, Registered<?>> byName = new LinkedHashMap<>();

    <A> void add(String name, Class<A> argsType, Mutator<A> mutator, Moshi moshi) {
      if (name == null || argsType == null || mutator == null) throw new NullPointerException();
      if (byName.containsKey(name)) {
        throw new IllegalArgumentException("mutator '" + name + "' is already registered");
      }
      byName.put(name, new Registered<>(argsType, mutator, moshi));
    }

    Mutators build() {
      return new Mutators(new LinkedHashMap<>(byName));
    }
  }

  boolean has(String name) {
    return byName.containsKey(name);
  }

  /** The JSON of {@code args} for mutator {@code name}. */
  RawJson encode(String name, Object args) {
    return registered(name).encode(name, args);
  }

  void run(String name, WriteTransaction tx, RawJson args) throws Exception {
    registered(name).run(tx, args);
  }

  private Registered<?> registered(String name) {
    Registered<?> registered = byName.get(name);
    if (registered == null) {
      throw new IllegalArgumentException("mutator '" + name + "' is not registered");
    }
    return registered;
  }
}
