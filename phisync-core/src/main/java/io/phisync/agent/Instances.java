package io.phisync.agent;

import io.phisync.protocol.MessageId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Who this process is: its pid, host name and the ids of its agent instances. */
final class Instances {
  private Instances() {}

  static long pid() {
    return ProcessHandle.current().pid();
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String env = System.getenv("HOSTNAME");
      return env == null || env.isBlank() ? "unknown" : env;
    }
  }

  /** {@code <pid>-<ulid>}: a valid file name, unique across processes and instances. */
  static String newId() {
    return MessageId.of(pid() + "-" + MessageId.next().value()).value();
  }

  static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
