package dev.tandem;

import com.squareup.moshi.Moshi;
import dev.tandem.internal.app.BoundMutators;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An app's mutators by name, defined once and registered on both sides: the client runs them on its
 * local store (optimistically, and again on each rebase), and the Tandem server runs the same code
 * inside its push transaction, on the real database (authoritatively). Immutable; build one with
 * {@link #builder()}.
 *
 * <pre>{@code
 * public static final Mutators MUTATORS = Mutators.builder()
 *     .add("createTodo", CreateTodo.class, (tx, a) -> tx.table("todo").insert(a))
 *     .add("toggleTodo", ToggleTodo.class, (tx, a) -> tx.table("todo").update(a))
 *     .build();
 * }</pre>
 *
 * <p>Args travel as JSON through the Moshi of the side that runs them (the client's {@code
 * Tandem.Builder.moshi}, the server's), so give both the same adapters.
 */
public final class Mutators {
  /** One mutator and the type of its args. */
  static final class Registration<A> {
    final String name;
    final Class<A> argsType;
    final Mutator<A> mutator;

    Registration(String name, Class<A> argsType, Mutator<A> mutator) {
      this.name = name;
      this.argsType = argsType;
      this.mutator = mutator;
    }
  }

  private final Map<String, Registration<?>> byName;

  private Mutators(Map<String, Registration<?>> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The names of the mutators, in the order they were added. */
  public Set<String> names() {
    return byName.keySet();
  }

  /** True if a mutator {@code name} is registered. */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /** Binds every mutator to its args adapter from {@code moshi}. */
  static BoundMutators bind(Mutators mutators, Moshi moshi) {
    Map<String, BoundMutators.Bound<?>> bound = new LinkedHashMap<>();
    for (Registration<?> registration : mutators.byName.values()) {
      bound.put(registration.name, bind(registration, moshi));
    }
    return BoundMutators.of(bound);
  }

  private static <A> BoundMutators.Bound<A> bind(Registration<A> registration, Moshi moshi) {
    return BoundMutators.bound(
        registration.name, registration.argsType, registration.mutator, moshi);
  }

  /** Collects mutators; not thread-safe. */
  public static final class Builder {
    private final Map<String, Registration<?>> byName = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Registers {@code mutator} as {@code name}; its args are a {@code argsType} (use {@code
     * Void.class} for a mutator that takes none).
     *
     * @throws IllegalArgumentException if {@code name} is already registered.
     * @throws NullPointerException if an argument is null.
     */
    public <A> Builder add(String name, Class<A> argsType, Mutator<A> mutator) {
      if (name == null || argsType == null || mutator == null) throw new NullPointerException();
      if (byName.containsKey(name)) {
        throw new IllegalArgumentException("mutator '" + name + "' is already registered");
      }
      byName.put(name, new Registration<>(name, argsType, mutator));
      return this;
    }

    /**
     * Registers every mutator of {@code mutators}.
     *
     * @throws IllegalArgumentException if one of its names is already registered.
     */
    public Builder addAll(Mutators mutators) {
      for (Registration<?> registration : mutators.byName.values()) put(registration);
      return this;
    }

    /**
     * Adds the opt-in CRUD mutators of {@code table}, for apps that need nothing more: {@code
     * <table>.insert}, {@code <table>.upsert} and {@code <table>.update} take a row (a JSON object
     * of column names to values; {@code update} only the key and the columns it changes), {@code
     * <table>.delete} the primary key columns. They write through {@link WriteTransaction#table},
     * so they run the same on the client and on the server, where the server's checks of the schema
     * apply. Insert refuses an existing row, update a missing one.
     *
     * <pre>{@code
     * Mutators.builder().crud(SCHEMA.table("todo")).build();
     * tandem.mutate("todo.insert", Map.of("id", "t1", "title", "milk", "done", false));
     * }</pre>
     *
     * @throws IllegalArgumentException if one of the four names is already registered.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Builder crud(final Table table) {
      final String name = table.name();
      Class<Map<String, Object>> row = (Class) Map.class;
      add(name + ".insert", row, (tx, values) -> tx.table(name).insert(values));
      add(name + ".upsert", row, (tx, values) -> tx.table(name).upsert(values));
      add(name + ".update", row, (tx, values) -> tx.table(name).update(values));
      add(name + ".delete", row, (tx, key) -> tx.table(name).delete(key));
      return this;
    }

    private void put(Registration<?> registration) {
      if (byName.containsKey(registration.name)) {
        throw new IllegalArgumentException(
            "mutator '" + registration.name + "' is already registered");
      }
      byName.put(registration.name, registration);
    }

    /** The mutators registered so far. */
    public Mutators build() {
      return new Mutators(new LinkedHashMap<>(byName));
    }
  }
}
