package io.phisync.crdt.store;

import io.phisync.clock.HlcTimestamp;

/**
 * What an update may stamp itself with.
 *
 * @param node the updating agent's name, the node id in clocks and dots
 * @param stamp a fresh HLC timestamp, after every timestamp in the merged state
 */
public record UpdateContext(String node, HlcTimestamp stamp) {}
