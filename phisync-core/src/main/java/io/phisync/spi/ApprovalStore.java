package io.phisync.spi;

import io.phisync.protocol.MalformedMessageException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where approval requests and decisions live: for each {@link ApprovalSlot} a request, at most one
 * decision at a time, the decisions that were refused (moved aside) and a closing note. The storage
 * knows nothing of signatures; it hands out bytes, and refuses to hand out what no honest writer
 * makes (links, oversize or special files).
 *
 * <p>Implementations are thread-safe and safe across processes.
 */
public interface ApprovalStore {
  /** The largest request or decision file that is read: {@value} bytes. */
  int MAX_FILE_BYTES = 256 * 1024;

  /** The files of a slot. */
  enum Part {
    REQUEST("request"),
    DECISION("decision"),
    CLOSED("closed");

    private final String suffix;

    Part(String suffix) {
      this.suffix = suffix;
    }

    /** The file name of this part for {@code step}: {@code <step>.<part>.json}. */
    public String fileName(String step) {
      return step + "." + suffix + ".json";
    }
  }

  /** Writes the request, replacing any earlier one atomically. */
  void writeRequest(ApprovalSlot slot, byte[] content);

  /**
   * Writes the decision unless one is there (put-if-absent).
   *
   * @return false when a decision is there already
   */
  boolean createDecision(ApprovalSlot slot, byte[] content);

  /** Writes the closing note unless one is there. */
  void close(ApprovalSlot slot, byte[] content);

  /**
   * Reads a part.
   *
   * @return empty when the file is not there
   * @throws MalformedMessageException naming why the file is not read: a symbolic link, not a
   *     regular file, larger than {@link #MAX_FILE_BYTES}, or in a run directory that is a link
   */
  Optional<byte[]> read(ApprovalSlot slot, Part part);

  /**
   * Moves the decision aside to {@code <step>.refused-<ulid>.json}, so a new one can be written.
   *
   * @return where it went, relative to the root; empty when it was gone already
   */
  Optional<String> refuseDecision(ApprovalSlot slot);

  /**
   * Moves the decision and the closing note of a slot's earlier request aside (to {@code
   * <step>.superseded-<ulid>.decision.json} and {@code ...closed.json}), before the request of a
   * new attempt replaces it, so that request stands and can be decided. Missing files are fine.
   */
  void supersede(ApprovalSlot slot);

  /** Every slot with a request, sorted. */
  List<ApprovalSlot> requests();

  /** The names of the refused decisions of a slot, oldest first. */
  List<String> refused(ApprovalSlot slot);

  /**
   * Wakes when a file of the run (or, when {@code runId} is null, of any run that has a directory
   * now, and the list of runs) may have changed.
   */
  Wakeup watch(@Nullable String runId);
}
