package io.phisync.testing.linearizability;

import org.jspecify.annotations.Nullable;

/**
 * One operation as a client saw it: called at {@code call}, returned {@code output} at {@code ret}
 * (times from one monotonic clock). A pending operation never returned: its {@code ret} is {@link
 * Long#MAX_VALUE} and its output is unknown, so it may have taken effect at any time after its
 * call, or never.
 */
public record Operation<I, O>(int process, I input, @Nullable O output, long call, long ret) {
  public Operation {
    if (ret < call) {
      throw new IllegalArgumentException("returned at " + ret + " before its call at " + call);
    }
    if (output == null && ret != Long.MAX_VALUE) {
      throw new IllegalArgumentException("an operation that returned has an output");
    }
  }

  /** An operation that returned. */
  public static <I, O> Operation<I, O> of(int process, I input, O output, long call, long ret) {
    return new Operation<>(process, input, output, call, ret);
  }

  /** An operation that never returned (crashed, timed out): its effect is unknown. */
  public static <I, O> Operation<I, O> pending(int process, I input, long call) {
    return new Operation<>(process, input, null, call, Long.MAX_VALUE);
  }

  public boolean isPending() {
    return output == null;
  }
}
