/**
 * Test-scoped helpers shared by the reliability campaigns (published in core's test-jar): child
 * JVMs to crash and stall, and the linearizability checker ({@code linearizability}).
 */
@NullMarked
package io.phisync.testing;

import org.jspecify.annotations.NullMarked;
