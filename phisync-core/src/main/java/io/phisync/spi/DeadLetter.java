package io.phisync.spi;

import java.time.OffsetDateTime;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A message that could not be delivered, with everything needed to understand and replay it.
 *
 * @param entryId the id of this dead letter
 * @param agent the agent whose inbox the message was in
 * @param messageId the message's id, when it had a readable one
 * @param reason why it was dead-lettered
 * @param deadLetteredAt when
 * @param source the file it came from, relative to the root
 * @param original the original message as JSON, when it was JSON
 * @param originalText the original text, when it was not JSON (or not text: then Base64)
 * @param history the failed deliveries before this one
 */
public record DeadLetter(
    String entryId,
    String agent,
    @Nullable String messageId,
    String reason,
    OffsetDateTime deadLetteredAt,
    String source,
    @Nullable JsonNode original,
    @Nullable String originalText,
    List<DeliveryRecord> history) {

  public DeadLetter {
    history = List.copyOf(history);
  }
}
