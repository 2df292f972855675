package dev.tandem.server;

import dev.tandem.protocol.ProtocolJson;

/** Writes wire types to JSON text. */
final class ProtocolJsonWriter {
  private ProtocolJsonWriter() {}

  static <T> String write(Class<T> type, T value) {
    return ProtocolJson.moshi().adapter(type).toJson(value);
  }
}
