package io.phisync.testing.linearizability;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A sequential specification: what an object does, one operation at a time.
 *
 * @param <S> the state; must implement {@code equals} and {@code hashCode} (records do), since the
 *     checker memoizes (linearized set, state) pairs
 * @param <I> an operation's input
 * @param <O> an operation's output
 */
public interface Model<S, I, O> {
  /** The state before any operation. */
  S initial();

  /**
   * The state after {@code input} was applied to {@code state} and answered {@code output}, or
   * empty when the object could not have answered that. A {@code null} output is an operation whose
   * outcome is unknown (its process crashed or timed out): accept whatever the object would answer.
   */
  Optional<S> step(S state, I input, @Nullable O output);

  /** The key an input touches, for checking each key on its own. */
  Object key(I input);
}
