package dev.tandem.benchmarks;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import javax.sql.DataSource;

/**
 * Records every JDBC call a unit of work makes (connection calls and executed SQL, in order) by
 * wrapping a {@link DataSource} in proxies; and, for Postgres, counts the messages the driver sends
 * over its socket ({@link CountingSockets}), which is the number of network round trips.
 */
final class JdbcCensus {
  /** Calls that say nothing about database work. */
  private static final Set<String> IGNORED =
      Set.of(
          "toString",
          "hashCode",
          "equals",
          "unwrap",
          "isWrapperFor",
          "close",
          "isClosed",
          "getWarnings",
          "clearWarnings",
          "getMetaData",
          "getAutoCommit",
          "isReadOnly",
          "getNetworkTimeout",
          "getHoldability",
          "getCatalog",
          "getSchema");

  private final List<String> trace = new ArrayList<>();
  private boolean recording;

  synchronized void start() {
    trace.clear();
    recording = true;
  }

  synchronized List<String> stop() {
    recording = false;
    return new ArrayList<>(trace);
  }

  private synchronized void record(String call) {
    if (recording) trace.add(call);
  }

  DataSource wrap(DataSource source) {
    return proxy(
        DataSource.class,
        (proxy, method, args) -> {
          Object result = invoke(source, method, args);
          return result instanceof Connection ? connection((Connection) result) : result;
        });
  }

  private Connection connection(Connection connection) {
    return proxy(
        Connection.class,
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("prepareStatement")) {
            String sql = (String) args[0];
            PreparedStatement statement = (PreparedStatement) invoke(connection, method, args);
            return statement(statement, sql);
          }
          if (name.equals("createStatement")) {
            return statement((Statement) invoke(connection, method, args), null);
          }
          if (!IGNORED.contains(name)) {
            Object arg = args == null || args.length == 0 ? null : args[0];
            boolean simple =
                arg instanceof Number || arg instanceof Boolean || arg instanceof String;
            record(name + (arg == null ? "()" : simple ? "(" + arg + ")" : "(…)"));
          }
          return invoke(connection, method, args);
        });
  }

  private PreparedStatement statement(Statement statement, String preparedSql) {
    return proxy(
        PreparedStatement.class,
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.startsWith("execute")) {
            String sql = args != null && args.length > 0 ? (String) args[0] : preparedSql;
            record(name + ": " + sql);
          }
          return invoke(statement, method, args);
        });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(
        Proxy.newProxyInstance(JdbcCensus.class.getClassLoader(), new Class<?>[] {type}, handler));
  }

  /**
   * A socket factory for the PostgreSQL driver ({@code socketFactory=} connection property) that
   * counts writes to the socket: the driver buffers each batch of protocol messages up to a Sync
   * and writes it at once, so one write is one request the client then waits on.
   */
  public static final class CountingSockets extends SocketFactory {
    static final AtomicLong writes = new AtomicLong();

    public CountingSockets() {}

    @Override
    public Socket createSocket() {
      return new CountingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      Socket socket = new CountingSocket();
      socket.connect(new java.net.InetSocketAddress(host, port));
      return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      Socket socket = new CountingSocket();
      socket.connect(new java.net.InetSocketAddress(host, port));
      return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
        throws IOException {
      throw new UnsupportedOperationException();
    }
  }

  private static final class CountingSocket extends Socket {
    private OutputStream out;

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (out == null) {
        out =
            new FilterOutputStream(super.getOutputStream()) {
              @Override
              public void write(byte[] bytes, int offset, int length) throws IOException {
                CountingSockets.writes.incrementAndGet();
                super.out.write(bytes, offset, length);
              }

              @Override
              public void write(int b) throws IOException {
                CountingSockets.writes.incrementAndGet();
                super.out.write(b);
              }
            };
      }
      return out;
    }
  }
}
