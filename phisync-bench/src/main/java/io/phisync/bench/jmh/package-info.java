/**
 * JMH benchmarks of the inner loops: envelope encoding and decoding, the claim path, CRDT merges.
 */
@NullMarked
package io.phisync.bench.jmh;

import org.jspecify.annotations.NullMarked;
