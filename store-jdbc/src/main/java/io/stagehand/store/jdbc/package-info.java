/**
 * JDBC stores (H2 and PostgreSQL) for both commit-log variants. Not yet implemented: this module
 * only reserves its place in the build until its own issue lands.
 */
package io.stagehand.store.jdbc;
