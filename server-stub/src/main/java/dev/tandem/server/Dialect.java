package dev.tandem.server;

/** The SQL databases the server stub runs on. */
public enum Dialect {
  /** SQLite through xerial sqlite-jdbc: the zero-setup default. */
  SQLITE,
  /** PostgreSQL through the PostgreSQL JDBC driver: for real deployments. */
  POSTGRES
}
