/**
 * The JSON encoding of CRDT states and clock values (docs/PROTOCOL.md, "CRDT replicas"). Kept apart
 * from {@code io.phisync.crdt}, which depends on nothing but the clocks.
 */
@NullMarked
package io.phisync.crdt.json;

import org.jspecify.annotations.NullMarked;
