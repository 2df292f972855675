package dev.tandem.internal.app;

import com.squareup.moshi.JsonWriter;
import dev.tandem.Migration;
import java.io.IOException;
import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import okio.Buffer;

/**
 * A step's checksum as recorded in {@code tandem_migration}: the SHA-256, in hex, of what its app
 * defines (see {@link MigrationPlan#checksum}).
 */
final class StepChecksum {
  private StepChecksum() {}

  static String of(Migration migration) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.beginObject();
      writer.name("version").value(migration.version());
      writer.name("minClientVersion").value(migration.minClientVersion());
      writer.name("schema");
      SchemaJson.write(migration.schema(), writer);
      writer.name("mirrors").beginArray();
      for (Migration.Mirror mirror : migration.mirrors()) {
        writer.beginArray().value(mirror.table()).value(mirror.from()).value(mirror.to());
        writer.value(String.valueOf(mirror.whenNull())).endArray();
      }
      writer.endArray();
      writer.name("sql").beginObject();
      for (Map.Entry<String, List<String>> entry : migration.allSql().entrySet()) {
        writer.name(entry.getKey()).beginArray();
        for (String statement : entry.getValue()) writer.value(statement);
        writer.endArray();
      }
      writer.endObject();
      writer.endObject();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(buffer.readUtf8().getBytes(Charset.forName("UTF-8")));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) hex.append(String.format("%02x", b & 0xff));
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
