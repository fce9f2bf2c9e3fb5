package io.phisync.testing.chaos;

import io.phisync.testing.ChildJvm;
import java.time.Duration;
import java.util.Random;

/**
 * {@code SIGSTOP} of a random agent process for longer than its lease, then {@code SIGCONT}: what
 * it held is delivered to another consumer meanwhile, and its late ack must fail (the transport's
 * {@code LeaseLostException}) rather than count twice.
 */
public final class StopPastLease implements Fault {
  private final Duration stall;

  public StopPastLease(Duration stall) {
    this.stall = stall;
  }

  @Override
  public String name() {
    return "SIGSTOP past the lease";
  }

  @Override
  public boolean inject(Agents agents, Random random) throws Exception {
    Process victim = agents.pick(random);
    ChildJvm.signal(victim, "STOP");
    // After the signal: every effect it logged came before.
    agents.note(victim, name());
    try {
      Thread.sleep(stall.toMillis()); // The fault itself is a stall: wall time is the point.
    } finally {
      ChildJvm.signal(victim, "CONT");
    }
    return true;
  }
}
