package io.phisync.crdt.store;

import io.phisync.PhiSync;
import io.phisync.crdt.CrdtType;
import io.phisync.crdt.json.CrdtJson;
import io.phisync.protocol.AgentName;
import io.phisync.spi.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * One agent updating CRDT replicas in its own JVM, for {@link CrdtProcessesTest}.
 *
 * <p>Arguments: {@code <root> <agent> <updates> <dir>}. It makes {@code updates} rounds of: one
 * increment of the pn-counter {@code visits}, one add to the or-set {@code tags} (removing its
 * previous element every other round) and one assignment of the lww-register {@code owner}. Then it
 * writes {@code <dir>/<agent>.done}, waits for {@code <dir>/read}, and writes the merged JSON of
 * every key to {@code <dir>/<agent>.json}.
 */
public final class ReplicaProcess {
  private ReplicaProcess() {}

  public static void main(String[] args) throws Exception {
    Path root = Paths.get(args[0]);
    AgentName agent = AgentName.of(args[1]);
    int updates = Integer.parseInt(args[2]);
    Path dir = Paths.get(args[3]);
    try (PhiSync phi = PhiSync.builder(root).durability(Durability.FAST).open()) {
      CrdtStore crdts = phi.crdts();
      for (int i = 0; i < updates; i++) {
        int round = i;
        crdts.update(agent, "visits", CrdtType.PN_COUNTER, (c, ctx) -> c.increment(ctx.node(), 1));
        crdts.update(
            agent,
            "tags",
            CrdtType.OR_SET,
            (s, ctx) -> {
              String element = agent + "-" + round;
              s = s.add(ctx.node(), element);
              return round % 2 == 1 ? s.remove(agent + "-" + (round - 1)) : s;
            });
        crdts.update(
            agent,
            "owner",
            CrdtType.LWW_REGISTER,
            (r, ctx) -> r.assign(agent + "-" + round, ctx.stamp()));
      }
      write(dir.resolve(agent + ".done"), "done");
      while (!Files.exists(dir.resolve("read"))) {
        Thread.sleep(20); // A child's wait for its parent's signal; the test itself never sleeps.
      }
      StringBuilder out = new StringBuilder();
      for (String key : crdts.keys()) {
        out.append(key).append('\n').append(CrdtJson.text(crdts.get(key).orElseThrow()));
        out.append('\n');
      }
      write(dir.resolve(agent + ".json"), out.toString());
    }
  }

  private static void write(Path target, String text) throws Exception {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
  }
}
