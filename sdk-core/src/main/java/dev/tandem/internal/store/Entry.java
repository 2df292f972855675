package dev.tandem.internal.store;

/** A key and its value's JSON text (null where an entry records an absent value). Immutable. */
public final class Entry {
  public final String key;
  public final String json;

  public Entry(String key, String json) {
    this.key = key;
    this.json = json;
  }
}
