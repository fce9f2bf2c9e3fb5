package io.phisync.bench.process;

/**
 * A role of the raw-fs floor: warms the bare exchange's path up first (see {@link RawExchange}).
 */
abstract class RawRole implements Role {
  final ChildOptions options;

  RawRole(ChildOptions options) {
    this.options = options;
  }

  @Override
  public final void prepare() throws Exception {
    RawExchange.warmUp();
    Warmup.plainBurst(options.integer(Child.BURST, 0));
  }
}
