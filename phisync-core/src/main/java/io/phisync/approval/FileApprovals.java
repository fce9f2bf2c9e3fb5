package io.phisync.approval;

import io.phisync.protocol.MalformedMessageException;
import io.phisync.spi.ApprovalSlot;
import io.phisync.spi.ApprovalStore;
import io.phisync.spi.ApprovalStore.Part;
import io.phisync.spi.Wakeup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Approvals} over an {@link ApprovalStore}, verifying with an {@link ApproverKeys}. */
final class FileApprovals implements Approvals {
  private static final Logger LOG = LoggerFactory.getLogger(FileApprovals.class);

  private final ApprovalStore store;
  private final DecisionVerifier verifier;
  private final Clock clock;

  FileApprovals(ApprovalStore store, ApproverKeys keys, Clock clock) {
    this.store = store;
    this.verifier = new DecisionVerifier(keys);
    this.clock = clock;
  }

  private static ApprovalSlot slot(ApprovalRequest request) {
    return new ApprovalSlot(request.runId(), request.step());
  }

  @Override
  public void request(ApprovalRequest request) {
    ApprovalSlot slot = slot(request);
    byte[] content = ApprovalCodec.request(request);
    Optional<ApprovalRequest> existing = readRequest(slot);
    if (existing.isPresent()) {
      if (existing.get().nonce().equals(request.nonce())) {
        return;
      }
      // A new attempt (e.g. a retried run): the earlier request's decision and closing note go
      // aside first, so a crash between the two steps leaves the old request to supersede again.
      store.supersede(slot);
    }
    store.writeRequest(slot, content);
  }

  @Override
  public Optional<ApprovalOutcome> check(ApprovalRequest request) {
    ApprovalSlot slot = slot(request);
    String reason;
    try {
      Optional<byte[]> bytes = store.read(slot, Part.DECISION);
      if (bytes.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(verifier.verify(request, bytes.get()));
    } catch (MalformedMessageException e) {
      reason = e.getMessage();
    } catch (DecisionVerifier.Forgery e) {
      reason = e.getMessage();
    }
    Optional<String> movedTo = store.refuseDecision(slot);
    if (movedTo.isEmpty()) {
      return Optional.empty(); // Another checker moved it aside meanwhile.
    }
    LOG.warn("refused the decision on {}: {} (moved to {})", slot, reason, movedTo.get());
    return Optional.of(new ApprovalOutcome.Refused(String.valueOf(reason), movedTo.get()));
  }

  @Override
  public void close(ApprovalRequest request, String resolution) {
    store.close(slot(request), ApprovalCodec.closed(resolution, clock.instant()));
  }

  @Override
  public List<ApprovalRequest> pending() {
    List<ApprovalRequest> out = new ArrayList<>();
    for (ApprovalSlot slot : store.requests()) {
      if (isClosed(slot)) {
        continue;
      }
      readRequest(slot).ifPresent(out::add);
    }
    out.sort(Comparator.comparing(ApprovalRequest::requestedAt));
    return out;
  }

  @Override
  public Optional<ApprovalRequest> find(String runId, String step) {
    return readRequest(new ApprovalSlot(runId, step));
  }

  @Override
  public boolean submit(ApprovalDecision decision) {
    return store.createDecision(
        new ApprovalSlot(decision.runId(), decision.step()), ApprovalCodec.decision(decision));
  }

  @Override
  public Optional<ApprovalDecision> decision(String runId, String step) {
    try {
      return store.read(new ApprovalSlot(runId, step), Part.DECISION).map(ApprovalCodec::decision);
    } catch (MalformedMessageException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<String> resolution(String runId, String step) {
    try {
      return store.read(new ApprovalSlot(runId, step), Part.CLOSED).map(ApprovalCodec::resolution);
    } catch (MalformedMessageException e) {
      return Optional.of("closed");
    }
  }

  private boolean isClosed(ApprovalSlot slot) {
    try {
      return store.read(slot, Part.CLOSED).isPresent();
    } catch (MalformedMessageException e) {
      return true; // Something is there: the request does not stand.
    }
  }

  private Optional<ApprovalRequest> readRequest(ApprovalSlot slot) {
    try {
      Optional<ApprovalRequest> request =
          store.read(slot, Part.REQUEST).map(ApprovalCodec::request);
      if (request.isPresent() && !slot(request.get()).equals(slot)) {
        LOG.warn("ignored the request file of {}: it names {}", slot, slot(request.get()));
        return Optional.empty();
      }
      return request;
    } catch (MalformedMessageException | IllegalArgumentException e) {
      LOG.warn("ignored the request file of {}: {}", slot, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public Wakeup watch() {
    return store.watch(null);
  }

  @Override
  public Wakeup watch(ApprovalRequest request) {
    return store.watch(slot(request).runId());
  }
}
