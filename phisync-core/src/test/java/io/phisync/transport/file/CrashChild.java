package io.phisync.transport.file;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Claim;
import io.phisync.spi.Durability;
import io.phisync.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One transport operation in a child JVM, halted by {@link CrashPoints} when its point is armed.
 *
 * <p>Arguments: {@code <root> <enqueue|claim|ack|nack|ackAll> <result-file>}. When the operation
 * returns the child writes what it returned (the id enqueued, or the ids acknowledged, one per
 * line) to the result file: that is what a caller could have relied on. {@code ackAll} claims every
 * waiting message and acknowledges them in one batch.
 */
public final class CrashChild {
  private static final AgentName FROM = AgentName.of("dc");
  private static final AgentName TO = AgentName.of("webc");

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    String op = args[1];
    Path result = Paths.get(args[2]);
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      Transport transport = phi.transport();
      String returned;
      if (op.equals("enqueue")) {
        returned = phi.bus().sendRequest(FROM, TO, "crash", null, null).id();
      } else if (op.equals("ackAll")) {
        List<Claim> claims = new ArrayList<>();
        for (Optional<Claim> claim = transport.claim(TO, "child", Duration.ofSeconds(30));
            claim.isPresent();
            claim = transport.claim(TO, "child", Duration.ofSeconds(30))) {
          claims.add(claim.get());
        }
        transport.ackAll(claims);
        returned = String.join("\n", claims.stream().map(c -> c.envelope().id()).toList());
      } else {
        Claim claim =
            transport
                .claim(TO, "child", Duration.ofSeconds(30))
                .orElseThrow(() -> new IllegalStateException("nothing to claim"));
        switch (op) {
          case "claim" -> {}
          case "ack" -> transport.ack(claim);
          case "nack" -> transport.nack(claim, "crash test", 100);
          default -> throw new IllegalArgumentException("unknown op " + op);
        }
        returned = claim.envelope().id();
      }
      Files.writeString(result, returned, StandardCharsets.UTF_8);
    }
  }
}
