/**
 * Thread-safe in-memory stores, with both commit-log variants: the default for tests and for
 * embedding where the state need not outlive the process. {@link io.stagehand.store.memory.MemoryStore#create()}
 * gives a ready store in one line.
 */
package io.stagehand.store.memory;
