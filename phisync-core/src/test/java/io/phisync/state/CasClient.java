package io.phisync.state;

import io.phisync.PhiSync;
import io.phisync.spi.Durability;
import io.phisync.testing.linearizability.HistoryRecorder;
import io.phisync.testing.linearizability.VersionedRegister;
import io.phisync.testing.linearizability.VersionedRegister.Cas;
import io.phisync.testing.linearizability.VersionedRegister.Input;
import io.phisync.testing.linearizability.VersionedRegister.Output;
import io.phisync.testing.linearizability.VersionedRegister.Read;
import io.phisync.testing.linearizability.VersionedRegister.Write;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.node.StringNode;

/**
 * One process of the CAS linearizability workload: {@code count} random reads, writes and
 * compare-and-sets on keys {@code lin/k0..k<keys-1>}, each recorded before the call and after the
 * return by a {@link HistoryRecorder}, so a process killed mid-call leaves a pending operation.
 *
 * <p>Arguments: {@code <root> <process> <count> <keys> <history-file> <seed>}.
 */
public final class CasClient {
  private CasClient() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    int process = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    int keys = Integer.parseInt(args[3]);
    Path history = Paths.get(args[4]);
    Random random = new Random(Long.parseLong(args[5]) * 31 + process);
    Map<String, Long> seen = new HashMap<>();
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open();
        HistoryRecorder recorder = new HistoryRecorder(history, process)) {
      StateStore state = phi.state();
      for (int i = 0; i < count; i++) {
        String key = "lin/k" + random.nextInt(keys);
        String value = "p" + process + "-" + i;
        int dice = random.nextInt(10);
        Input input;
        if (dice < 4) {
          input = new Read(key);
        } else if (dice < 6) {
          input = new Write(key, value);
        } else {
          // Mostly the last revision this process saw (contended successes), sometimes a guess.
          long expected = seen.getOrDefault(key, 0L) + (random.nextInt(5) == 0 ? 1 : 0);
          input = new Cas(key, expected, value);
        }
        long op = recorder.call(VersionedRegister.toJson(input));
        Output out = apply(state, input);
        recorder.returned(op, VersionedRegister.toJson(out));
        seen.put(key, out.revision());
      }
    }
  }

  static Output apply(StateStore state, Input input) {
    if (input instanceof Read r) {
      return state
          .get(r.key())
          .map(v -> Output.read(v.revision(), v.valueOrThrow().asString()))
          .orElse(Output.read(0, null));
    }
    if (input instanceof Write w) {
      return Output.written(state.put(w.key(), StringNode.valueOf(w.value())).revision());
    }
    Cas c = (Cas) input;
    CasResult result =
        state.compareAndSet(
            c.key(), Expect.revision(c.expectedRevision()), StringNode.valueOf(c.value()));
    if (result instanceof CasResult.Committed committed) {
      return Output.written(committed.revision().revision());
    }
    if (result instanceof CasResult.Conflict conflict) {
      return Output.conflict(conflict.currentRevision());
    }
    throw new IllegalStateException("unfenced CAS refused by fencing: " + result);
  }
}
