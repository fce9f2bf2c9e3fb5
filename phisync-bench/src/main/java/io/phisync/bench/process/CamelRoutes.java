package io.phisync.bench.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Camel as a Java user would tune it for latency: {@code
 * file:DIR?move=.done&readLock=none&delay=1&initialDelay=0}, one route per directory, started on
 * demand.
 */
final class CamelRoutes implements AutoCloseable {
  static final String ROUTE = "bench";
  private static final String WARMUP = "warmup";
  private static final int BATCH = 500;

  private final CamelContext context = new DefaultCamelContext();

  /**
   * Creates and starts the context with one route that is not started yet, after a warm-up route
   * has taken {@link Warmup#ROUNDS} files and then {@code burst} more, {@value #BATCH} written at a
   * time (see {@link Warmup#phisyncBurst}).
   */
  CamelRoutes(Path dir, String include, Processor processor, int burst) throws Exception {
    Warmup.plain();
    Path scratch = Files.createTempDirectory("phisync-bench-warmup-");
    Semaphore taken = new Semaphore(0);
    context.addRoutes(
        new RouteBuilder() {
          @Override
          public void configure() {
            from(uri(dir, include)).routeId(ROUTE).autoStartup(false).process(processor);
            from(uri(scratch, ""))
                .routeId(WARMUP)
                .process(
                    exchange -> {
                      PlainFiles.parse(CamelRoutes.body(exchange));
                      taken.release();
                    });
          }
        });
    context.start();
    for (int i = 0; i < Warmup.ROUNDS; i++) {
      Warmup.writePlain(scratch);
    }
    awaitTaken(taken, Warmup.ROUNDS);
    long start = System.nanoTime();
    for (int done = 0; done < burst; done += BATCH) {
      int batch = Math.min(BATCH, burst - done);
      for (int i = 0; i < batch; i++) {
        Warmup.writePlain(scratch);
      }
      awaitTaken(taken, batch);
    }
    context.getRouteController().stopRoute(WARMUP);
    Warmup.delete(scratch);
    if (burst > 0) {
      Warmup.settle();
      Warmup.burstDone("camel-file", burst, start);
    }
  }

  private static void awaitTaken(Semaphore taken, int files) throws InterruptedException {
    if (!taken.tryAcquire(files, 2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("Camel's warm-up route did not take its files");
    }
  }

  private static String uri(Path dir, String include) {
    return "file:"
        + dir
        + "?move=.done&readLock=none&delay=1&initialDelay=0"
        + (include.isEmpty() ? "" : "&include=" + include);
  }

  void startRoute() throws Exception {
    context.getRouteController().startRoute(ROUTE);
  }

  static byte[] body(org.apache.camel.Exchange exchange) throws Exception {
    return exchange.getIn().getMandatoryBody(byte[].class);
  }

  @Override
  public void close() {
    context.stop();
  }
}
