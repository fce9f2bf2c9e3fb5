/**
 * Logical clocks: {@link io.phisync.clock.VectorClock} (causality between replicas) and {@link
 * io.phisync.clock.HybridLogicalClock} (timestamps that follow causality and stay close to physical
 * time). Pure values and JDK types only; no I/O, no other PhiSync package.
 */
@NullMarked
package io.phisync.clock;

import org.jspecify.annotations.NullMarked;
