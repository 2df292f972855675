package dev.tandem.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over one raw socket, for tests where the connection matters: requests are written byte
 * for byte as given and answers read back in order on the same connection. Every read has a
 * deadline (the socket's read timeout), so a test never hangs on a server that does not answer.
 */
final class RawHttp implements AutoCloseable {
  /** One answer: status, headers (names in lower case) and the body as text. */
  static final class Answer {
    final int status;
    final Map<String, String> headers;
    final String body;

    Answer(int status, Map<String, String> headers, String body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port) throws IOException {
    this(port, 10_000);
  }

  RawHttp(int port, int readTimeoutMillis) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(readTimeoutMillis);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** A POST with a JSON body and, unless null, an {@code Authorization} header. */
  Answer post(String path, String authorization, String json) throws IOException {
    return post(path, authorization, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** A POST with {@code contentType} (none if null) and {@code body}. */
  Answer post(String path, String authorization, String contentType, byte[] body)
      throws IOException {
    sendHead(
        "POST "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\n"
            + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
            + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n");
    out.write(body);
    out.flush();
    return read();
  }

  /** A GET with the given extra header lines (each ending in CRLF). */
  Answer get(String path, String headerLines) throws IOException {
    sendHead("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headerLines + "\r\n");
    return read();
  }

  /** Writes raw bytes: a request head, part of a body. */
  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void sendHead(String head) throws IOException {
    send(head.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Half-closes the connection: the server sees the end of the request stream. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Reads one answer: status line, headers, and a body by length, by chunks or to the end. */
  Answer read() throws IOException {
    Answer head = readHead();
    return new Answer(head.status, head.headers, readBody(head.headers));
  }

  /**
   * A GET of a server-sent-event stream: the answer's head, and its body if it is not a stream (a
   * refusal). For a stream, {@link #nextLine} then reads its lines as they come.
   */
  Answer openStream(String path, String headerLines) throws IOException {
    sendHead("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + headerLines + "\r\n");
    Answer head = readHead();
    if ("chunked".equalsIgnoreCase(head.headers.get("transfer-encoding"))) return head;
    return new Answer(head.status, head.headers, readBody(head.headers));
  }

  /** Bytes left in the current chunk of a stream; 0 before its first, -1 after its last. */
  private int chunkLeft;

  /** The next line of a chunked stream, or null when the stream ends (or the connection does). */
  String nextLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (chunkLeft == 0) {
        String size = line();
        if (size != null && size.isEmpty()) size = line(); // The CRLF after a chunk.
        chunkLeft = size == null ? -1 : Integer.parseInt(size.split(";")[0].trim(), 16);
        if (chunkLeft == 0) chunkLeft = -1;
      }
      if (chunkLeft < 0) return line.length() == 0 ? null : line.toString();
      int c = in.read();
      if (c == -1) {
        chunkLeft = -1;
        continue;
      }
      chunkLeft--;
      if (c == '\n') return line.toString();
      line.append((char) c);
    }
  }

  private Answer readHead() throws IOException {
    String statusLine = line();
    if (statusLine == null) throw new IOException("connection closed before an answer");
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line; !(line = line()).isEmpty(); ) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return new Answer(status, headers, "");
  }

  private String readBody(Map<String, String> headers) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; ) {
        body.write(in.readNBytes(size));
        line();
      }
      line();
    } else {
      body.write(in.readAllBytes());
    }
    return body.toString(StandardCharsets.UTF_8);
  }

  /** The next line without its CRLF; null at the end of the stream. */
  String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) != -1; ) {
      if (c == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      line.append((char) c);
    }
    return line.length() == 0 ? null : line.toString();
  }

  /**
   * True if the server closes the connection (or resets it) before {@code timeoutMillis}; false if
   * it is still open, silent, at the deadline.
   */
  boolean closedWithin(int timeoutMillis) throws IOException {
    int previous = socket.getSoTimeout();
    socket.setSoTimeout(timeoutMillis);
    try {
      while (in.read() != -1) {
        // Whatever the server sends before closing (an error answer) is skipped.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // Reset by the server.
    } finally {
      if (!socket.isClosed()) socket.setSoTimeout(previous);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
