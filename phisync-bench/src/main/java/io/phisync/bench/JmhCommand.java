package io.phisync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code phisync bench jmh [JMH options]}: the JMH benchmarks of the inner loops. */
@Command(
    name = "jmh",
    mixinStandardHelpOptions = true,
    description = {
      "Run the JMH benchmarks (envelope encode/decode, the claim path, CRDT merges).",
      "Arguments go to JMH unchanged, e.g. 'phisync bench jmh -f 1 -wi 3 -i 5 Envelope'."
    })
final class JmhCommand implements Callable<Integer> {
  /** Everything after {@code jmh}, for JMH (its {@code -h} lists its options). */
  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(args.toArray(String[]::new));
    return 0;
  }
}
