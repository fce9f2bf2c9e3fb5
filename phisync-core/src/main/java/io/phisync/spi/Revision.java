package io.phisync.spi;

import io.phisync.protocol.StateKey;
import tools.jackson.databind.node.ObjectNode;

/**
 * One committed revision of a key in a {@link RevisionLog}.
 *
 * @param key the key
 * @param revision its number: 1 for the first, each next one exactly one higher
 * @param record what was committed, as the committer wrote it
 */
public record Revision(StateKey key, long revision, ObjectNode record) {}
