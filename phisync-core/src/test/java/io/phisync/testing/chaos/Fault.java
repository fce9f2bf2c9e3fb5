package io.phisync.testing.chaos;

import java.util.Random;

/** One kind of fault, injected into the campaign's own processes or files. */
public interface Fault {
  /** A short name for the report, e.g. {@code kill -9}. */
  String name();

  /**
   * Injects the fault once and returns when it is over (a stalled process resumed, a directory
   * writable again): every fault undoes itself before returning, in a finally block.
   *
   * @return whether the fault took effect (e.g. false when a directory cannot be made unwritable)
   */
  boolean inject(Agents agents, Random random) throws Exception;
}
