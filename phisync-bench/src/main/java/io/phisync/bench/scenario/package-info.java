/**
 * The end-to-end scenarios, each beside its references, and the one registry that lists them
 * ({@link io.phisync.bench.scenario.Scenarios}).
 */
@NullMarked
package io.phisync.bench.scenario;

import org.jspecify.annotations.NullMarked;
