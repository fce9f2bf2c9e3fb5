package io.phisync.transport.file;

import io.phisync.PhiSync;
import io.phisync.lock.Lease;
import io.phisync.spi.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Runs one lock operation in durable mode (possibly halted at a crash point) and, if it returned,
 * writes the grant's fencing token to the result file. Arguments: {@code <root>
 * <grant|renew|release> <result>}. {@code renew} and {@code release} first acquire the lock (their
 * crash points are numbered past the acquire's, {@code <point>@<n>}).
 */
public final class LockCrashChild {
  private LockCrashChild() {}

  public static void main(String[] args) throws Exception {
    long token;
    try (PhiSync phi = PhiSync.builder(Paths.get(args[0])).durability(Durability.DURABLE).open()) {
      Lease lease =
          phi.locks()
              .tryAcquire(LockCrashPointsTest.LOCK, LockCrashPointsTest.LEASE)
              .orElseThrow(() -> new IllegalStateException("the lock was not free"));
      token = lease.token();
      switch (args[1]) {
        case "grant" -> {}
        case "renew" -> lease.renew();
        case "release" -> lease.release();
        default -> throw new IllegalArgumentException("unknown operation " + args[1]);
      }
    }
    Files.writeString(Paths.get(args[2]), Long.toString(token), StandardCharsets.UTF_8);
  }
}
