package io.phisync.bench.jmh;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import io.phisync.spi.Claim;
import io.phisync.spi.Durability;
import io.phisync.spi.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The claim path on a real directory in fast mode: send one notification, claim it (rename into
 * claimed/ with a lease) and ack it (processed id, move to processed/).
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClaimBenchmark {
  private static final AgentName FROM = AgentName.of("dc");
  private static final AgentName TO = AgentName.of("webc");

  private @Nullable Path root;
  private @Nullable PhiSync phi;

  @Setup
  public void open() throws IOException {
    root = Files.createTempDirectory("phisync-jmh-");
    phi = PhiSync.builder(root).durability(Durability.FAST).open();
    phi.init(List.of(FROM, TO));
  }

  @TearDown
  public void close() {
    if (phi != null) {
      phi.close();
    }
  }

  @Benchmark
  public Claim sendClaimAck() {
    PhiSync open = java.util.Objects.requireNonNull(phi);
    Transport transport = open.transport();
    open.bus().notify(FROM, TO, "bench", Json.object());
    Claim claim = transport.claim(TO, "jmh", Duration.ofMinutes(1)).orElseThrow();
    transport.ack(claim);
    return claim;
  }
}
