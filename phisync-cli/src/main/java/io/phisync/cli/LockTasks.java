package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.lock.Lease;
import io.phisync.lock.LockOwner;
import io.phisync.lock.LockStatus;
import io.phisync.protocol.Json;
import io.phisync.spi.LeaseLostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The work of {@code phisync lock ...}. */
final class LockTasks {
  static final String TOKEN_VARIABLE = "PHISYNC_FENCING_TOKEN";
  static final String LOCK_VARIABLE = "PHISYNC_LOCK";

  private final Session session;

  LockTasks(Session session) {
    this.session = session;
  }

  private static ObjectNode toJson(String name, LockOwner o) {
    return Json.object()
        .put("lock", name)
        .put("token", o.token())
        .put("ownerId", o.ownerId())
        .put("host", o.host())
        .put("pid", o.pid())
        .put("acquired", o.acquired().toString())
        .put("leaseMillis", o.lease().toMillis());
  }

  int acquire(String name, Duration lease, Duration wait, boolean json)
      throws InterruptedException {
    try (PhiSync phi = session.open()) {
      Lease held = phi.locks().acquire(name, lease, wait);
      session.out().println(json ? Json.compact(toJson(name, held.owner())) : held.token());
      return ExitCodes.OK;
    }
  }

  int release(String name, long token) {
    try (PhiSync phi = session.open()) {
      phi.locks().release(name, token);
      return ExitCodes.OK;
    }
  }

  int status(@Nullable String name, boolean json) {
    try (PhiSync phi = session.open()) {
      List<String> names = name == null ? phi.locks().names() : List.of(name);
      ArrayNode array = Json.mapper().createArrayNode();
      List<List<String>> rows = new ArrayList<>();
      for (String n : names) {
        LockStatus status = phi.locks().status(n);
        ObjectNode node = Json.object().put("lock", n);
        if (status instanceof LockStatus.Held held) {
          node.put("state", "held").setAll(toJson(n, held.owner()));
          rows.add(
              List.of(
                  n,
                  "held",
                  Long.toString(held.owner().token()),
                  held.owner().ownerId(),
                  held.owner().host() + ":" + held.owner().pid()));
        } else if (status instanceof LockStatus.Foreign foreign) {
          node.put("state", "foreign").put("content", foreign.content());
          rows.add(List.of(n, "foreign", "-", "(a lock file another program wrote)", "-"));
        } else {
          node.put("state", "free");
          rows.add(List.of(n, "free", "-", "-", "-"));
        }
        array.add(node);
      }
      if (json) {
        session.out().println(Json.compact(name == null ? array : array.get(0)));
      } else {
        rows.forEach(r -> session.out().println(String.join("\t", r)));
      }
      return ExitCodes.OK;
    }
  }

  /** Holds the lock while the operator's command runs. The command is never from a message. */
  int run(String name, Duration lease, Duration wait, List<String> command) throws Exception {
    try (PhiSync phi = session.open();
        Lease held = phi.locks().acquire(name, lease, wait)) {
      ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
      builder.environment().put(TOKEN_VARIABLE, Long.toString(held.token()));
      builder.environment().put(LOCK_VARIABLE, name);
      Process process = builder.start();
      AtomicBoolean lost = new AtomicBoolean();
      ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor();
      long every = Math.max(1, lease.toMillis() / 3);
      renewer.scheduleWithFixedDelay(
          () -> {
            try {
              held.renew();
            } catch (LeaseLostException e) {
              lost.set(true);
              process.destroy();
              throw e; // Stops the renewals.
            }
          },
          every,
          every,
          TimeUnit.MILLISECONDS);
      try {
        int exit = process.waitFor();
        if (lost.get()) {
          throw new CliException(
              ExitCodes.CONFLICT, "lock '" + name + "' was lost while the command ran; stopped it");
        }
        return exit;
      } finally {
        renewer.shutdownNow();
        renewer.awaitTermination(10, TimeUnit.SECONDS);
        if (process.isAlive()) {
          process.destroyForcibly();
        }
      }
    }
  }
}
