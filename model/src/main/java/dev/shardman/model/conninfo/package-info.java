/**
 * libpq connection strings: {@link dev.shardman.model.conninfo.Conninfo} parses both syntaxes,
 * checks keywords and {@code ${env:NAME}} references, resolves them, and prints itself without
 * secrets.
 */
package dev.shardman.model.conninfo;
