package io.phisync.transport.file;

import io.phisync.PhiSync;
import io.phisync.events.Severity;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.TopicName;
import io.phisync.spi.Durability;
import io.phisync.state.CasResult;
import io.phisync.state.Expect;
import io.phisync.stream.NewEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import tools.jackson.databind.node.StringNode;

/**
 * Runs one capability write in durable mode (possibly halted at a crash point) and, if it returned,
 * writes what it returned to the result file. Arguments: {@code <root> <cas|append|publish>
 * <result>}.
 */
public final class CapabilityCrashChild {
  private CapabilityCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    String answer;
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.DURABLE).open()) {
      answer =
          switch (args[1]) {
            case "cas" -> {
              CasResult r =
                  phi.state()
                      .compareAndSet(
                          CapabilityCrashPointsTest.KEY,
                          Expect.revision(1),
                          StringNode.valueOf("new"));
              if (!(r instanceof CasResult.Committed c)) {
                throw new IllegalStateException("not committed: " + r);
              }
              yield Long.toString(c.revision().revision());
            }
            case "append" ->
                Long.toString(
                    phi.streams()
                        .append(
                            CapabilityCrashPointsTest.STREAM,
                            List.of(new NewEvent("second", StringNode.valueOf("new"))),
                            1));
            case "publish" ->
                phi.events()
                    .publish(
                        TopicName.of(CapabilityCrashPointsTest.TOPIC),
                        AgentName.of("dc"),
                        "crashed",
                        Severity.INFO,
                        StringNode.valueOf("new"))
                    .id();
            default -> throw new IllegalArgumentException("unknown operation " + args[1]);
          };
    }
    Files.writeString(Paths.get(args[2]), answer, StandardCharsets.UTF_8);
  }
}
