/** The Tandem reference server: Replicache push and pull handlers over JDBC. */
package dev.tandem.server;
