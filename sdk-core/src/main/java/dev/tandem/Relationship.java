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

    public List<String> sourceFields() {
      return sourceFields;
    }

    public String destTable() {
      return destTable;
    }

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

  public static Relationship one(String name) {
    return new Relationship(name, false, new ArrayList<Hop>());
  }

  public static Relationship many(String name) {
    return new Relationship(name, true, new ArrayList<Hop>());
  }

  /** A list of field names, for compound keys. */
  public static List<String> fields(String... names) {
    return Arrays.asList(names);
  }

  public Relationship hop(String sourceField, String destTable, String destField) {
    return hop(fields(sourceField), destTable, fields(destField));
  }

  public Relationship hop(List<String> sourceFields, String destTable, List<String> destFields) {
    List<Hop> next = new ArrayList<>(hops);
    next.add(new Hop(sourceFields, destTable, destFields));
    return new Relationship(name, many, next);
  }

  public String name() {
    return name;
  }

  public boolean isMany() {
    return many;
  }

  public List<Hop> hops() {
    return hops;
  }

  /** The table the relationship ends at. */
  public String destTable() {
    return hops.get(hops.size() - 1).destTable;
  }
}
