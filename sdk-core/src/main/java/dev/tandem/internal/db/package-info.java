/**
 * The SQLite seam: {@link dev.tandem.internal.db.SqlDriver} (one writer connection, pooled
 * readers), {@link dev.tandem.internal.db.SqlConnection} and {@link
 * dev.tandem.internal.db.SqlCursor}, with {@link dev.tandem.internal.db.SqlException} carrying
 * SQLite's result code; {@link dev.tandem.internal.db.JdbcSqlDriver}, the JVM implementation on
 * xerial sqlite-jdbc (sdk-android has the Android one); and {@link
 * dev.tandem.internal.db.DatabaseLock}, the file lock that keeps one database in one Tandem
 * instance. Knows nothing of Tandem's tables. Not an API: it may change in any release.
 */
package dev.tandem.internal.db;
