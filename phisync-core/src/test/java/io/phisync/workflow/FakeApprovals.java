package io.phisync.workflow;

import io.phisync.approval.ApprovalOutcome;
import io.phisync.approval.ApprovalRequest;
import io.phisync.approval.Approvals;
import io.phisync.spi.Wakeup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Approvals in memory: tests decide with {@link #decide} or queue a refusal with {@link #forge}.
 */
final class FakeApprovals implements Approvals {
  final Map<String, ApprovalRequest> requests = new ConcurrentHashMap<>();
  final Map<String, String> closed = new ConcurrentHashMap<>();
  private final Map<String, ConcurrentLinkedQueue<ApprovalOutcome>> outcomes =
      new ConcurrentHashMap<>();

  private static String key(String runId, String step) {
    return runId + "/" + step;
  }

  void decide(String runId, String step, ApprovalOutcome outcome) {
    outcomes.computeIfAbsent(key(runId, step), k -> new ConcurrentLinkedQueue<>()).add(outcome);
  }

  void forge(String runId, String step, String reason) {
    decide(runId, step, new ApprovalOutcome.Refused(reason, "moved-aside.json"));
  }

  @Override
  public void request(ApprovalRequest request) {
    requests.putIfAbsent(key(request.runId(), request.step()), request);
  }

  @Override
  public Optional<ApprovalOutcome> check(ApprovalRequest request) {
    var queue = outcomes.get(key(request.runId(), request.step()));
    if (queue == null || queue.isEmpty()) {
      return Optional.empty();
    }
    ApprovalOutcome head = queue.peek();
    if (head instanceof ApprovalOutcome.Refused) {
      queue.poll(); // Moved aside: the next check looks again.
    }
    return Optional.of(head);
  }

  @Override
  public void close(ApprovalRequest request, String resolution) {
    closed.put(key(request.runId(), request.step()), resolution);
  }

  @Override
  public List<ApprovalRequest> pending() {
    List<ApprovalRequest> out = new ArrayList<>();
    requests.forEach(
        (k, r) -> {
          if (!closed.containsKey(k)) {
            out.add(r);
          }
        });
    return out;
  }

  @Override
  public Wakeup watch() {
    return new Wakeup() {
      @Override
      public void await(Duration max) throws InterruptedException {
        Thread.sleep(Math.min(50, Math.max(1, max.toMillis())));
      }

      @Override
      public void reset() {}

      @Override
      public void close() {}
    };
  }
}
