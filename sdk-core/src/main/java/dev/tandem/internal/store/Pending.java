package dev.tandem.internal.store;

import dev.tandem.protocol.RawJson;

/** A mutation made on this device that the server has not confirmed yet. Immutable. */
public final class Pending {
  /** The position in the queue; 0 before it is stored. */
  public final long seq;

  public final String clientID;
  public final long id;
  public final String name;
  public final RawJson args;
  public final double timestamp;

  /** The schema version the mutation was made with: it is pushed under that version. */
  public final String schemaVersion;

  public Pending(
      long seq,
      String clientID,
      long id,
      String name,
      RawJson args,
      double timestamp,
      String schemaVersion) {
    this.seq = seq;
    this.clientID = clientID;
    this.id = id;
    this.name = name;
    this.args = args;
    this.timestamp = timestamp;
    this.schemaVersion = schemaVersion;
  }

  /** Its size on the wire, roughly: the name, the args and the envelope. */
  public long approximateBytes() {
    return args.toString().length() + name.length() + 100;
  }
}
