package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.spi.DeadLetter;
import io.phisync.spi.DeadLetterStore;
import io.phisync.spi.DeliveryRecord;
import java.io.PrintWriter;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The dead-letter queue: list, show, retry, purge. */
final class DeadLetters {
  private final Session session;

  DeadLetters(Session session) {
    this.session = session;
  }

  int list(boolean json) {
    try (PhiSync phi = session.open()) {
      List<DeadLetter> letters = phi.bus().deadLetters().list();
      if (json) {
        session.out().println(Json.pretty(letters));
        return ExitCodes.OK;
      }
      Table table = new Table("ENTRY", "AGENT", "MESSAGE", "DEAD-LETTERED", "REASON");
      for (DeadLetter d : letters) {
        table.row(
            d.entryId(),
            d.agent(),
            Listings.text(d.messageId()),
            d.deadLetteredAt().toString(),
            d.reason());
      }
      if (table.isEmpty()) {
        session.err().println("no dead letters");
      } else {
        table.print(session.out());
      }
    }
    return ExitCodes.OK;
  }

  int show(MessageId entry, boolean json) {
    try (PhiSync phi = session.open()) {
      DeadLetter d = get(phi.bus().deadLetters(), entry);
      if (json) {
        session.out().println(Json.pretty(d));
        return ExitCodes.OK;
      }
      PrintWriter out = session.out();
      out.println("entry:          " + d.entryId());
      out.println("agent:          " + d.agent());
      out.println("message:        " + Listings.text(d.messageId()));
      out.println("reason:         " + d.reason());
      out.println("dead-lettered:  " + d.deadLetteredAt());
      out.println("from:           " + d.source());
      for (DeliveryRecord r : d.history()) {
        out.println(
            "attempt "
                + r.attempt()
                + ":      "
                + r.outcome()
                + " at "
                + r.at()
                + " by "
                + r.consumer()
                + (r.reason() == null ? "" : ": " + r.reason()));
      }
      JsonNode original = d.original();
      out.println("original:");
      out.println(original != null ? Json.pretty(original) : Listings.text(d.originalText()));
    }
    return ExitCodes.OK;
  }

  /** Prints the id of the message put back into its inbox. */
  int retry(MessageId entry) {
    try (PhiSync phi = session.open()) {
      DeadLetterStore store = phi.bus().deadLetters();
      get(store, entry);
      session.out().println(store.replay(entry.value()));
    }
    return ExitCodes.OK;
  }

  int purge(MessageId entry) {
    try (PhiSync phi = session.open()) {
      if (!phi.bus().deadLetters().purge(entry.value())) {
        throw noSuch(entry);
      }
      session.out().println("purged " + entry);
    }
    return ExitCodes.OK;
  }

  int purgeAll() {
    try (PhiSync phi = session.open()) {
      int purged = phi.bus().deadLetters().purgeAll();
      session.out().println("purged " + purged + (purged == 1 ? " dead letter" : " dead letters"));
    }
    return ExitCodes.OK;
  }

  private static DeadLetter get(DeadLetterStore store, MessageId entry) {
    return store.get(entry.value()).orElseThrow(() -> noSuch(entry));
  }

  private static CliException noSuch(MessageId entry) {
    return CliException.usage("no dead letter " + entry + "; 'phisync dlq list' shows them");
  }
}
