/**
 * The roles a benchmark runs in child JVMs (producers, consumers, requesters, responders) for
 * PhiSync and for each reference, and the parent's handle on such a child.
 */
@NullMarked
package io.phisync.bench.process;

import org.jspecify.annotations.NullMarked;
