package io.phisync.testing.linearizability;

import org.jspecify.annotations.Nullable;

/**
 * A checker's verdict.
 *
 * @param linearizable whether every key's history has a linearization
 * @param key the first key found without one; null when linearizable
 * @param operations how many operations were checked
 * @param explanation a line for a test report
 */
public record Result(
    boolean linearizable, @Nullable Object key, int operations, String explanation) {}
