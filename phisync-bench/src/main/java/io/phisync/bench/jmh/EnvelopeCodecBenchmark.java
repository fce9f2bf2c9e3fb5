package io.phisync.bench.jmh;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Encoding and decoding a typical request envelope (the codex's research request). */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnvelopeCodecBenchmark {
  private final Envelope envelope =
      Envelope.builder()
          .id(MessageId.next())
          .type(MessageType.REQUEST)
          .from(AgentName.of("dc"))
          .to(AgentName.of("webc"))
          .timestamp(OffsetDateTime.now())
          .payload(
              Json.object()
                  .put("command", "research")
                  .put("topic", "OAuth2 best practices 2025")
                  .put("depth", "comprehensive"))
          .build();
  private final byte[] bytes = EnvelopeCodec.encode(envelope);

  @Benchmark
  public byte[] encode() {
    return EnvelopeCodec.encode(envelope);
  }

  @Benchmark
  public Envelope decode() {
    return EnvelopeCodec.decode(bytes);
  }
}
