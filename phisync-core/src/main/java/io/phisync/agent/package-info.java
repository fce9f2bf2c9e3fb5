/**
 * The agent runtime: an agent serves its inbox with a handler per command, a set concurrency,
 * retries, heartbeats and a graceful drain. Start with {@link io.phisync.agent.Agent#builder} or
 * {@link io.phisync.PhiSync#agent}.
 */
@NullMarked
package io.phisync.agent;

import org.jspecify.annotations.NullMarked;
