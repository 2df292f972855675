package dev.tandem.internal.mutation;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.Moshi;
import dev.tandem.Mutator;
import dev.tandem.WriteTransaction;
import dev.tandem.protocol.RawJson;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registered mutators, by name, with their args adapters. Immutable once built. */
public final class Mutators {
  private static final class Registered<A> {
    final String name;
    final Class<A> argsType;
    final Mutator<A> mutator;
    final JsonAdapter<A> adapter;

    Registered(String name, Class<A> argsType, Mutator<A> mutator, Moshi moshi) {
      this.name = name;
      this.argsType = argsType;
      this.mutator = mutator;
      this.adapter = moshi.adapter(argsType).nullSafe();
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

  /** Collects registrations; adapters are resolved by {@link #build}, with the final Moshi. */
  public static final class Builder {
    private final Map<String, Registration<?>> byName = new LinkedHashMap<>();

    private static final class Registration<A> {
      final Class<A> argsType;
      final Mutator<A> mutator;

      Registration(Class<A> argsType, Mutator<A> mutator) {
        this.argsType = argsType;
        this.mutator = mutator;
      }

      Registered<A> resolve(String name, Moshi moshi) {
        return new Registered<>(name, argsType, mutator, moshi);
      }
    }

    public <A> void add(String name, Class<A> argsType, Mutator<A> mutator) {
      if (name == null || argsType == null || mutator == null) throw new NullPointerException();
      if (byName.containsKey(name)) {
        throw new IllegalArgumentException("mutator '" + name + "' is already registered");
      }
      byName.put(name, new Registration<>(argsType, mutator));
    }

    public Mutators build(Moshi moshi) {
      Map<String, Registered<?>> resolved = new LinkedHashMap<>();
      for (Map.Entry<String, Registration<?>> entry : byName.entrySet()) {
        resolved.put(entry.getKey(), entry.getValue().resolve(entry.getKey(), moshi));
      }
      return new Mutators(resolved);
    }
  }

  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** The JSON of {@code args} for mutator {@code name}; fails fast on misuse. */
  public RawJson encode(String name, Object args) {
    return registered(name).encode(args);
  }

  public void run(String name, WriteTransaction tx, RawJson args) throws Exception {
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
