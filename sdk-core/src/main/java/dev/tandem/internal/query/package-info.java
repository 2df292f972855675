/**
 * Reading the local store: {@link dev.tandem.internal.query.QueryRunner} turns a table {@link
 * dev.tandem.Query} into SQL over the schema tables and loads its relationships; {@link
 * dev.tandem.internal.query.LiveQueries} re-runs each live query on the query scheduler after a
 * commit that changed what it read, and emits only changed results. Not an API: it may change in
 * any release.
 */
package dev.tandem.internal.query;
