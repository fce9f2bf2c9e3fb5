/**
 * Conflict-free replicated data types: immutable state-based values whose {@link
 * io.phisync.crdt.Crdt#merge merge} is commutative, associative and idempotent, so replicas that
 * have seen the same updates have equal state whatever the order. Pure values: no I/O; the only
 * PhiSync package used is {@code io.phisync.clock}.
 */
@NullMarked
package io.phisync.crdt;

import org.jspecify.annotations.NullMarked;
