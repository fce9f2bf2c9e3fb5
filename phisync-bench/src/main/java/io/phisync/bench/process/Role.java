package io.phisync.bench.process;

/**
 * One thing a child JVM does. {@link #prepare} runs before the child reports ready (open roots,
 * start Camel); {@link #run} runs after the parent's start signal and is what is timed.
 */
interface Role extends AutoCloseable {
  void prepare() throws Exception;

  ChildResult run() throws Exception;

  @Override
  default void close() throws Exception {}
}
