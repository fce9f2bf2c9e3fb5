package io.phisync.cli;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.GregorianCalendar;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Start-up work done on two other threads while the main thread builds and parses the command's
 * picocli model: Jackson's mapper (Jackson 3 registers its java.time support in every mapper, and
 * its date format's static calendar looks up the week data of Locale.US through every CLDR locale),
 * and for a command that writes a message the envelope's serializer; the annotations picocli reads,
 * SLF4J's provider lookup, the message ids' {@code SecureRandom}. It writes nothing and prints
 * nothing: the command does the same work again (then found done, or waited for) and reports
 * whatever fails.
 */
final class Prewarm {
  /** The longest a command waits for this work before doing it itself. */
  private static final long MAX_WAIT_NANOS = 2_000_000_000L;

  private static volatile List<Thread> running = List.of();

  private Prewarm() {}

  /**
   * Starts the work for {@code command} (a name of {@link LeanCommandLine#NAMES}), whose picocli
   * model is built from the annotations of {@code model}.
   */
  static void start(String command, Class<?> model) {
    boolean message =
        command.equals("send") || command.equals("request") || command.equals("reply");
    // Two threads: while picocli keeps the main thread busy one core serves them, but once the
    // command waits for this work (awaitDone) both can.
    List<Thread> threads =
        List.of(
            thread("phisync-prewarm", () -> mapper(message)),
            thread("phisync-prewarm-ids", () -> ids(message, model)));
    running = threads;
    threads.forEach(Thread::start);
  }

  private static Thread thread(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    // A failure here is the command's to report, once: nothing is printed for it.
    thread.setUncaughtExceptionHandler((t, e) -> {});
    return thread;
  }

  /**
   * Waits (a bounded time) for the work started last to end, if it runs: a command about to write a
   * message calls this rather than build the same serializer at the same time on a busy machine.
   */
  static void awaitDone() {
    long deadline = System.nanoTime() + MAX_WAIT_NANOS;
    try {
      for (Thread thread : running) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          thread.join(left / 1_000_000 + 1);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Jackson's mapper, then the envelope's serializer. */
  private static void mapper(boolean message) {
    Json.mapper();
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

  /**
   * The week data of Locale.US, the annotations picocli reads for the command's model (each
   * annotation type costs a proxy class, each annotation a parse), SLF4J's provider lookup (opening
   * the root needs it), the ids' SecureRandom and the time zone.
   */
  private static void ids(boolean message, Class<?> model) {
    // Jackson's date format builds one for Locale.US at once; the JDK keeps the week data it
    // looks up (through every CLDR locale): started here, the other thread finds it sooner.
    var calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.US);
    annotations(model, new HashSet<>());
    LoggerFactory.getILoggerFactory();
    if (message) {
      MessageId.next();
      var unused = OffsetDateTime.now();
    }
  }

  /**
   * Reads the annotations of {@code type}, its superclasses, fields and methods, and of its mixins'
   * and subcommands' types: the JDK keeps them, so picocli finds them parsed.
   */
  private static void annotations(Class<?> type, Set<Class<?>> seen) {
    for (Class<?> c = type; c != null && c != Object.class && seen.add(c); c = c.getSuperclass()) {
      Command command = c.getAnnotation(Command.class);
      if (command != null) {
        for (Class<?> sub : command.subcommands()) {
          annotations(sub, seen);
        }
      }
      for (Field field : c.getDeclaredFields()) {
        if (field.getAnnotations().length > 0 && field.isAnnotationPresent(Mixin.class)) {
          annotations(field.getType(), seen);
        }
      }
      for (Method method : c.getDeclaredMethods()) {
        var unused = method.getAnnotations();
      }
    }
  }
}
