package io.phisync.testing.chaos;

import io.phisync.testing.ChildJvm;
import java.util.Random;

/** {@code kill -9} of a random agent process, which is then replaced by a fresh one. */
public final class Kill9 implements Fault {
  @Override
  public String name() {
    return "kill -9";
  }

  @Override
  public boolean inject(Agents agents, Random random) throws Exception {
    Process victim = agents.pick(random);
    if (!ChildJvm.kill9(victim)) {
      throw new IllegalStateException("process " + victim.pid() + " survived kill -9");
    }
    // After the signal: every effect it logged came before.
    agents.note(victim, name());
    agents.replace(victim);
    return true;
  }
}
