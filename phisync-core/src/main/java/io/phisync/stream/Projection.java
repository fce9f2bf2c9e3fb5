package io.phisync.stream;

import java.util.function.BiFunction;

/**
 * How to fold a stream into a state: a start and a function applied to each event in order. The
 * state is stored in snapshots as JSON, so {@code type} must round-trip through Jackson.
 *
 * @param <S> the state
 * @param initial the state before any event
 * @param fold the next state from a state and an event; must not change its argument
 * @param type the state's class, to read it back from a snapshot
 */
public record Projection<S>(S initial, BiFunction<S, StreamEvent, S> fold, Class<S> type) {}
