package dev.tandem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A named path from rows of one table to rows of another: {@code one} (a row or null) or {@code
 * many} (a list), over one or more hops, each matching source fields to destination fields (several
 * for compound keys). Two hops through a junction table make many-to-many. Tables are named, so
 * relationships may be circular. Immutable.
 *
 * <pre>{@code
 * Relationship.one("sender").hop("senderID", "user", "id");
 * Relationship.many("replies").hop("id", "message", "parentMessageID");
 * Relationship.many("labels").hop("id", "issueLabel", "issueID").hop("labelID", "label", "id");
 * Relationship.one("owner").hop(fields("orgID", "userID"), "user", fields("orgID", "id"));
 * }</pre>
 */
public final class Relationship {
  /**
   * One step: rows of {@code destTable} whose {@code destFields} equal the {@code sourceFields}.
   */
  public static final class Hop {
    private final List<String> sourceFields;
    private final String destTable;
    private final List<String> destFields;

    Hop(List<String> sourceFields, String destTable, List<String> destFields) {
      this.sourceFields = Collections.unmodifiableList(new ArrayList<>(sourceFields));
      this.destTable = destTable;
      this.destFields = Collections.unmodifiableList(new ArrayList<>(destFields));
    }

    /**
     * Columns of the table this hop starts from (the relationship's table, or the junction table
     * for a second hop). Unmodifiable.
     */
    public List<String> sourceFields() {
      return sourceFields;
    }

    /** The table this hop leads to, by its schema name. */
    public String destTable() {
      return destTable;
    }

    /** Columns of {@link #destTable()} matched with {@link #sourceFields()}, pairwise. */
    public List<String> destFields() {
      return destFields;
    }
  }

  private final String name;
  private final boolean many;
  private final List<Hop> hops;

  private Relationship(String name, boolean many, List<Hop> hops) {
    this.name = name;
    this.many = many;
    this.hops = Collections.unmodifiableList(hops);
  }

  /**
   * A relationship that loads a single row, or null when no row matches; when several match, the
   * first in the related query's order (key order unless its refinement orders it). Add its hops
   * next.
   */
  public static Relationship one(String name) {
    return new Relationship(name, false, new ArrayList<Hop>());
  }

  /**
   * A relationship that loads a list of rows, empty when none matches, in key order unless the
   * related query's refinement orders it. Add its hops next.
   */
  public static Relationship many(String name) {
    return new Relationship(name, true, new ArrayList<Hop>());
  }

  /** A list of field names, for compound keys. */
  public static List<String> fields(String... names) {
    return Arrays.asList(names);
  }

  /**
   * Adds a hop to the rows of {@code destTable} whose {@code destField} equals this side's {@code
   * sourceField}; a null source value matches nothing. {@link Schema.Builder#build()} checks that
   * the tables and columns exist, and allows at most two hops.
   */
  public Relationship hop(String sourceField, String destTable, String destField) {
    return hop(fields(sourceField), destTable, fields(destField));
  }

  /**
   * Adds a hop matching several fields (a compound key), pairwise in order; the lists are copied. A
   * row with a null source value matches nothing.
   *
   * <pre>{@code
   * Relationship.one("owner").hop(fields("orgID", "userID"), "user", fields("orgID", "id"));
   * }</pre>
   */
  public Relationship hop(List<String> sourceFields, String destTable, List<String> destFields) {
    List<Hop> next = new ArrayList<>(hops);
    next.add(new Hop(sourceFields, destTable, destFields));
    return new Relationship(name, many, next);
  }

  /**
   * The name that {@link Query#related(String)} loads it by and {@link Row#one}/{@link Row#many}
   * give it under.
   */
  public String name() {
    return name;
  }

  /** True for {@link #many}, false for {@link #one}. */
  public boolean isMany() {
    return many;
  }

  /** The hops, first first. Unmodifiable. */
  public List<Hop> hops() {
    return hops;
  }

  /**
   * The table the relationship ends at: the last hop's.
   *
   * @throws IndexOutOfBoundsException if it has no hops.
   */
  public String destTable() {
    return hops.get(hops.size() - 1).destTable;
  }
}
