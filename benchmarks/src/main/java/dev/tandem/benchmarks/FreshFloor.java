package dev.tandem.benchmarks;

import com.squareup.moshi.JsonReader;
import java.io.File;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import okio.Okio;

/**
 * The floor under the fresh-process first pull ({@link VsReplicache}'s row, beside {@link
 * TandemSide}): a bare JVM program that does only what any Java client must, from the first line of
 * {@code main} until the last row is readable. One pull request through the JDK's {@code
 * HttpURLConnection}, the response streamed through Moshi's {@code JsonReader} (the value of each
 * put kept as its JSON text, {@code nextSource}), rows inserted by a plain xerial connection (WAL,
 * {@code synchronous=NORMAL}) in batches of 512 in one transaction into a {@code key → value}
 * table, commit, then the last key read back. The database opens on a second thread while the
 * request is out, as any client may do: sqlite-jdbc's native library loaded from a per-user cache
 * (Tandem's {@code SqliteNative}: without it sqlite-jdbc extracts the library to the temp folder
 * and checks it, at every start), the connection made by the driver itself, not {@code
 * DriverManager} (which scans the class path for every driver), generated keys off. No sync engine,
 * no spooling, no library beyond Moshi/okio and sqlite-jdbc. {@code java … FreshFloor <baseUrl>
 * firstpull lastid=… rows=…}; prints one JSON line like {@code TandemSide}'s.
 */
public final class FreshFloor {
  private FreshFloor() {}

  public static void main(String[] args) throws Exception {
    long startedAt = System.nanoTime();
    String lastKey = null;
    int rows = 100_000;
    for (int i = 2; i < args.length; i++) {
      if (args[i].startsWith("lastid=")) lastKey = "message/" + args[i].substring(7);
      if (args[i].startsWith("rows=")) rows = Integer.parseInt(args[i].substring(5));
    }
    File dir = Files.createTempDirectory("tandem-floor-").toFile();
    File file = new File(dir, "floor.db");
    int count = 0;
    java.util.concurrent.FutureTask<Connection> opening =
        new java.util.concurrent.FutureTask<>(
            () -> {
              dev.tandem.internal.db.SqliteNative.load();
              java.util.Properties properties = new java.util.Properties();
              properties.setProperty("journal_mode", "WAL");
              properties.setProperty("synchronous", "NORMAL");
              properties.setProperty("jdbc.get_generated_keys", "false");
              Connection db = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, properties);
              try (Statement ddl = db.createStatement()) {
                ddl.execute(
                    "CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
                        + " WITHOUT ROWID");
              }
              return db;
            });
    Thread opener = new Thread(opening, "floor-open");
    opener.setDaemon(true);
    opener.start();
    try {
      HttpURLConnection http =
          (HttpURLConnection) new URL(args[0] + "/api/replicache/pull").openConnection();
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty("Content-Type", "application/json");
      http.setRequestProperty("Authorization", "bench");
      byte[] body =
          ("{\"pullVersion\":1,\"clientGroupID\":\"floor-"
                  + Long.toHexString(startedAt)
                  + "\",\"profileID\":\"floor\",\"schemaVersion\":\"1\",\"cookie\":null}")
              .getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = http.getOutputStream()) {
        out.write(body);
      }
      if (http.getResponseCode() != 200) {
        throw new IllegalStateException("pull answered " + http.getResponseCode());
      }
      try (Connection db = opening.get();
          Statement control = db.createStatement()) {
        control.execute("BEGIN IMMEDIATE");
        try (PreparedStatement insert =
                db.prepareStatement("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)");
            JsonReader json = JsonReader.of(Okio.buffer(Okio.source(http.getInputStream())))) {
          int batch = 0;
          json.beginObject();
          while (json.hasNext()) {
            if (!json.nextName().equals("patch")) {
              json.skipValue();
              continue;
            }
            json.beginArray();
            while (json.hasNext()) {
              String op = null;
              String key = null;
              String value = null;
              json.beginObject();
              while (json.hasNext()) {
                switch (json.nextName()) {
                  case "op":
                    op = json.nextString();
                    break;
                  case "key":
                    key = json.nextString();
                    break;
                  case "value":
                    try (okio.BufferedSource source = json.nextSource()) {
                      value = source.readUtf8();
                    }
                    break;
                  default:
                    json.skipValue();
                }
              }
              json.endObject();
              if (!"put".equals(op)) continue; // The first pull's "clear" has nothing to clear.
              insert.setString(1, key);
              insert.setString(2, value);
              insert.addBatch();
              count++;
              if (++batch == 512) {
                insert.executeBatch();
                batch = 0;
              }
            }
            json.endArray();
          }
          json.endObject();
          if (batch > 0) insert.executeBatch();
        }
        control.execute("COMMIT");
        try (PreparedStatement has = db.prepareStatement("SELECT 1 FROM kv WHERE key = ?")) {
          has.setString(1, lastKey);
          try (ResultSet result = has.executeQuery()) {
            if (!result.next()) throw new IllegalStateException("no " + lastKey);
          }
        }
      }
      long elapsed = System.nanoTime() - startedAt;
      if (count != rows) throw new IllegalStateException("pulled " + count + ", expected " + rows);
      System.out.println(
          "{\"side\":\"floor\",\"workload\":\"firstpull\",\"median\":"
              + elapsed / 1000
              + ",\"runs\":1}");
    } finally {
      ClientBenchmarks.deleteRecursively(dir.toPath());
    }
    System.exit(0);
  }
}
