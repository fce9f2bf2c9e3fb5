package io.phisync.cli;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageType;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Start-up work done on another core while picocli builds and parses the command: Jackson's mapper
 * (about a fifth of a {@code send}'s start-up: Jackson 3 registers its java.time support in every
 * mapper, and its date format's static calendar loads the CLDR locale data), SLF4J's provider
 * lookup, and for a command that writes a message the envelope's serializer and the message ids'
 * {@code SecureRandom}. It writes nothing and prints nothing: the command does the same work again
 * (then found done, or waited for) and reports whatever fails.
 */
final class Prewarm {
  /** The longest a command waits for this work before doing it itself. */
  private static final long MAX_WAIT_MILLIS = 2_000;

  private static volatile @Nullable Thread running;

  private Prewarm() {}

  /** Starts the work for {@code command} (a name of {@link LeanCommandLine#NAMES}). */
  static void start(String command) {
    boolean message =
        command.equals("send") || command.equals("request") || command.equals("reply");
    Thread thread = new Thread(() -> run(message), "phisync-prewarm");
    thread.setDaemon(true);
    // A failure here is the command's to report, once: nothing is printed for it.
    thread.setUncaughtExceptionHandler((t, e) -> {});
    running = thread;
    thread.start();
  }

  /**
   * Waits (a bounded time) for the work started last to end, if it runs: a command about to write a
   * message calls this rather than build the same serializer at the same time on a busy machine.
   */
  static void awaitDone() {
    Thread thread = running;
    if (thread == null) {
      return;
    }
    try {
      thread.join(MAX_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run(boolean message) {
    // The largest first: the command may need it before this thread is done.
    Json.mapper();
    // Its provider lookup, which opening the root needs.
    LoggerFactory.getILoggerFactory();
    if (!message) {
      return;
    }
    AgentName agent = AgentName.of("prewarm");
    Envelope sample =
        Envelope.builder()
            .type(MessageType.REQUEST)
            .from(agent)
            .to(agent)
            .expiresAt(OffsetDateTime.now().plus(Duration.ofSeconds(1)))
            .headers(Map.of("status", "ok"))
            .payload(Json.object().put("command", "prewarm"))
            .build();
    EnvelopeCodec.encode(sample);
  }
}
