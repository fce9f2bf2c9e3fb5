package io.phisync.bench.process;

/** A main that does nothing: a bare JVM start, the floor of any Java CLI's start-up. */
public final class BareMain {
  private BareMain() {}

  public static void main(String[] args) {
    // Nothing: the JVM starting and stopping is what is measured.
  }
}
