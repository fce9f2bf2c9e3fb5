package io.phisync.bench.process;

import io.phisync.PhiSync;
import org.jspecify.annotations.Nullable;

/** A role over PhiSync: warms up and opens the root in {@link #prepare}, closes it at the end. */
abstract class PhiSyncRole implements Role {
  final ChildOptions options;
  private @Nullable PhiSync phi;

  PhiSyncRole(ChildOptions options) {
    this.options = options;
  }

  @Override
  public final void prepare() throws Exception {
    Warmup.phisync(options.mode());
    Warmup.phisyncBurst(options.integer(Child.BURST, 0));
    warmMore();
    phi = PhiSync.builder(options.path("root")).durability(options.mode().durability()).open();
  }

  /** More warm-up a role needs before the root opens (none by default). */
  void warmMore() throws Exception {}

  /** The open root; only after {@link #prepare}. */
  final PhiSync phi() {
    if (phi == null) {
      throw new IllegalStateException("not prepared");
    }
    return phi;
  }

  @Override
  public final void close() {
    if (phi != null) {
      phi.close();
    }
  }
}
