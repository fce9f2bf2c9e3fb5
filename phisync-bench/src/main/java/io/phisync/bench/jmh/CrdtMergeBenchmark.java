package io.phisync.bench.jmh;

import io.phisync.crdt.GCounter;
import io.phisync.crdt.ORSet;
import io.phisync.crdt.PNCounter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CRDT merges of two replicas that diverged: counters with {@code nodes} node entries each, and
 * OR-Sets with {@code elements} elements, half of them shared, added at {@code nodes} nodes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CrdtMergeBenchmark {
  @Param({"8"})
  public int nodes;

  @Param({"100"})
  public int elements;

  private GCounter counterA = GCounter.empty();
  private GCounter counterB = GCounter.empty();
  private PNCounter pnA = PNCounter.empty();
  private PNCounter pnB = PNCounter.empty();
  private ORSet setA = ORSet.empty();
  private ORSet setB = ORSet.empty();

  @Setup
  public void replicas() {
    for (int n = 0; n < nodes; n++) {
      String node = "node-" + n;
      counterA = counterA.increment(node, n + 1L);
      counterB = counterB.increment(node, nodes - n);
      pnA = pnA.increment(node, n + 1L).decrement(node, 1);
      pnB = pnB.increment(node, nodes - n).decrement(node, 2);
    }
    for (int i = 0; i < elements; i++) {
      String node = "node-" + (i % nodes);
      setA = setA.add(node, "e" + i);
      setB = setB.add("other-" + (i % nodes), "e" + (i + elements / 2));
    }
    setA = setA.remove("e0");
  }

  @Benchmark
  public GCounter gCounter() {
    return counterA.merge(counterB);
  }

  @Benchmark
  public PNCounter pnCounter() {
    return pnA.merge(pnB);
  }

  @Benchmark
  public ORSet orSet() {
    return setA.merge(setB);
  }
}
