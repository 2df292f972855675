package dev.tandem;

import com.squareup.moshi.Moshi;

/**
 * An app's data model and its mutators, defined once and loaded by both sides: the client ({@code
 * Tandem.Builder.app}) and the Tandem server (its builder, or {@code --app <class>} on the
 * standalone server, which creates it through a public no-argument constructor).
 *
 * <pre>{@code
 * public final class TodoApp implements AppDefinition {
 *   public Schema schema() { return SCHEMA; }
 *   public Mutators mutators() { return MUTATORS; }
 * }
 * }</pre>
 */
public interface AppDefinition {
  /** The tables the app syncs; the server stores each in a real table of its database. */
  Schema schema();

  /** The mutators, run optimistically by the client and authoritatively by the server. */
  Mutators mutators();

  /**
   * The schema's history, for the server to migrate its database and to serve older clients; null
   * (the default) for none: the server then creates the schema's tables when they are missing,
   * checks them when they exist, and serves the client versions it is told to.
   */
  default Migrations migrations() {
    return null;
  }

  /**
   * Who may read and write which rows ({@link Permissions}), enforced by the server; null (the
   * default) for none: every user reads and writes every row, and the server serves pulls with the
   * global version. With permissions the server keeps a view record per client group instead, so a
   * client loses the rows it may no longer read.
   */
  default Permissions permissions() {
    return null;
  }

  /**
   * The Moshi that maps the mutators' args and the values they write, on both sides. The default
   * has no adapters beyond Moshi's own.
   */
  default Moshi moshi() {
    return new Moshi.Builder().build();
  }
}
