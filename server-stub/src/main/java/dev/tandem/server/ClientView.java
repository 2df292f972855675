package dev.tandem.server;

import dev.tandem.protocol.PatchOperation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * The domain side of a pull: every change since a version, as patch operations. With the global
 * version strategy that is every row with {@code version > sinceVersion}, as a {@code put}, or a
 * {@code del} when it is soft-deleted.
 */
@FunctionalInterface
public interface ClientView {
  /**
   * Emits the changes after {@code sinceVersion}, reading through {@code connection} (a read
   * transaction holding one consistent snapshot). On a first pull ({@code sinceVersion == 0}) the
   * client view starts from {@code clear}, so deleted rows may be skipped.
   */
  void changes(Connection connection, long sinceVersion, Consumer<PatchOperation> out)
      throws SQLException;

  /** This view's changes followed by {@code other}'s, for a domain of several tables. */
  default ClientView and(ClientView other) {
    return (connection, since, out) -> {
      changes(connection, since, out);
      other.changes(connection, since, out);
    };
  }
}
