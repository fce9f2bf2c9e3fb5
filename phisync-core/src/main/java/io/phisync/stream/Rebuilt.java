package io.phisync.stream;

/**
 * A stream's state, folded.
 *
 * @param <S> the state
 * @param state the state after event {@code version}
 * @param version the last event folded in (0 for none)
 * @param snapshotVersion the version of the snapshot it started from (0 for none)
 */
public record Rebuilt<S>(S state, long version, long snapshotVersion) {}
