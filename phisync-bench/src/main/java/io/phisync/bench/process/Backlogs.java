package io.phisync.bench.process;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;

/**
 * Fills an inbox before its consumer starts, without fsync (the drain is what is measured): PhiSync
 * envelopes for PhiSync, codex-style files for the references.
 */
public final class Backlogs {
  private Backlogs() {}

  /** Writes {@code count} messages from {@code from} into {@code root/to/inbox}. */
  public static void fill(Path root, String from, String to, Subject subject, int count)
      throws IOException {
    Path inbox = root.resolve(to).resolve("inbox");
    for (int i = 0; i < count; i++) {
      if (subject == Subject.PHISYNC) {
        MessageId id = MessageId.next();
        Envelope envelope =
            Envelope.builder()
                .id(id)
                .type(MessageType.NOTIFICATION)
                .from(AgentName.of(from))
                .to(AgentName.of(to))
                .timestamp(OffsetDateTime.now())
                .payload(Json.object().put("command", "bench").put("sentMicros", 0L))
                .build();
        PlainFiles.write(
            inbox, "req-" + id.value() + ".json", EnvelopeCodec.encode(envelope), false);
      } else {
        String id = PlainFiles.newId();
        byte[] bytes = PlainFiles.bytes(PlainFiles.message(id, from, to, "notification"));
        PlainFiles.write(inbox, "req-" + id + ".json", bytes, false);
      }
    }
  }
}
