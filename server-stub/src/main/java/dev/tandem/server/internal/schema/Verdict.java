package dev.tandem.server.internal.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * What the grants say of one write before any SQL runs: {@link #ALLOW}ed or {@link #DENY}ed in
 * memory, or allowed exactly when the SQL condition {@link #sql} (its values in {@link #args},
 * bound; it names no table of the write) holds on the push's connection. The write's own statement
 * carries that condition ({@code INSERT … SELECT … WHERE}, {@code UPDATE … AND}), so a checked
 * write costs no statement of its own; {@link WriteChecks#holds} runs it alone where it must.
 */
final class Verdict {
  static final Verdict ALLOW = new Verdict(null, List.of());
  static final Verdict DENY = new Verdict(null, List.of());

  final String sql;
  final List<Object> args;
  final String operation; // "insert", "update", "delete": what a refusal names

  Verdict(String sql, List<Object> args) {
    this(sql, args, null);
  }

  private Verdict(String sql, List<Object> args, String operation) {
    this.sql = sql;
    this.args = args;
    this.operation = operation;
  }

  Verdict named(String operation) {
    return new Verdict(sql, args, operation);
  }

  /** Both must hold. */
  static Verdict and(Verdict a, Verdict b) {
    if (a == DENY || b == DENY) return DENY;
    if (a == ALLOW) return b;
    if (b == ALLOW) return a;
    if (a.sql.equals(b.sql) && a.args.equals(b.args)) return a; // The path did not change.
    List<Object> args = new ArrayList<>(a.args);
    args.addAll(b.args);
    return new Verdict("(" + a.sql + ") AND (" + b.sql + ")", args);
  }
}
