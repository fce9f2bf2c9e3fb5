package io.phisync.cli;

import io.phisync.protocol.Json;
import io.phisync.workflow.RunStatus;
import io.phisync.workflow.RunView;
import io.phisync.workflow.RunView.StepView;
import io.phisync.workflow.StepStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Live progress of a run and its final summary. The engine's thread hands views over ({@link
 * #accept}); the command's thread shows them ({@link #update}): on an interactive terminal a table
 * of the steps redrawn in place, otherwise one line per change.
 */
final class RunProgress implements Consumer<RunView> {
  private static final int MAX_OUTPUT_CHARS = 2_000;
  private static final int MAX_NOTE_CHARS = 70;

  private final PrintWriter out;
  private final boolean interactive;
  private final Path root;
  private final Clock clock;
  private final BlockingQueue<RunView> views = new LinkedBlockingQueue<>();
  private final Map<String, String> shown = new HashMap<>();
  private final Set<String> approvalsSeen = new HashSet<>();
  private BiConsumer<String, StepView> onApproval = (run, step) -> {};
  private @Nullable RunStatus shownStatus;
  private @Nullable RunView last;
  private int drawn;

  RunProgress(PrintWriter out, boolean interactive, Path root) {
    this(out, interactive, root, Clock.systemUTC());
  }

  RunProgress(PrintWriter out, boolean interactive, Path root, Clock clock) {
    this.out = out;
    this.interactive = interactive;
    this.root = root;
    this.clock = clock;
  }

  /** Called on the command's thread when a step starts waiting for an approval. */
  RunProgress onApproval(BiConsumer<String, StepView> action) {
    this.onApproval = action;
    return this;
  }

  /** From the engine's thread: quick, no output. */
  @Override
  public void accept(RunView view) {
    views.add(view);
  }

  /** The first lines, before any step. */
  void header(String runId, String workflow) {
    out.printf("Run %s (%s)%n  journal %s%n%n", runId, workflow, journal(runId));
    out.flush();
  }

  /** Waits up to {@code tick} for news and shows it; returns the latest view seen, if any. */
  @Nullable RunView update(Duration tick) throws InterruptedException {
    RunView first = views.poll(tick.toMillis(), TimeUnit.MILLISECONDS);
    List<RunView> batch = new ArrayList<>();
    if (first != null) {
      batch.add(first);
      views.drainTo(batch);
    }
    for (RunView view : batch) {
      show(view);
    }
    if (interactive && last != null) {
      redraw(last);
    }
    out.flush();
    return last;
  }

  /** Shows a view (the last one, when the run ended) as if it had come from the engine. */
  void showNow(RunView view) throws InterruptedException {
    views.add(view);
    update(Duration.ZERO);
  }

  private void show(RunView view) {
    last = view;
    if (!interactive) {
      lines(view);
    }
    for (StepView step : view.steps()) {
      if (step.status() == StepStatus.WAITING_APPROVAL && approvalsSeen.add(step.id())) {
        if (!interactive) {
          out.printf(
              "           %s waits for an approval: phisync approve %s %s   (or: phisync reject"
                  + " %s %s)%n",
              step.id(), view.runId(), step.id(), view.runId(), step.id());
        }
        out.flush();
        if (interactive && drawn > 0) {
          redraw(view);
          drawn = 0; // What the approval prints goes below this frame; the next one below it.
        }
        onApproval.accept(view.runId(), step);
      }
    }
  }

  private void lines(RunView view) {
    for (StepView step : view.steps()) {
      String state = step.status().label() + "/" + step.attempt();
      String before = shown.put(step.id(), state);
      if (state.equals(before) || (before == null && step.status() == StepStatus.PENDING)) {
        continue;
      }
      out.printf(
          Locale.ROOT,
          "  %8s  %-24s %-16s %s%n",
          "+" + elapsed(view.startedAt(), now()),
          indent(view, step) + step.id(),
          step.status().label(),
          detail(step));
    }
    if (view.status() != shownStatus) {
      shownStatus = view.status();
      if (view.status() != RunStatus.RUNNING) {
        out.printf(
            Locale.ROOT,
            "  %8s  %-24s %s%n",
            "+" + elapsed(view.startedAt(), now()),
            "(run)",
            view.status().label());
      }
    }
  }

  private String detail(StepView step) {
    StringBuilder d = new StringBuilder();
    if (step.attempt() > 1 || (step.attempt() == 1 && !step.status().isDone())) {
      d.append("attempt ").append(step.attempt());
    }
    if (step.status().isDone() && step.startedAt() != null) {
      d.append(d.length() == 0 ? "" : ", ").append(elapsed(step.startedAt(), step.endedAt()));
    }
    if (step.error() != null && step.status() != StepStatus.COMPLETED) {
      d.append(d.length() == 0 ? "" : ": ").append(cut(step.error(), MAX_NOTE_CHARS));
    }
    return d.toString();
  }

  private void redraw(RunView view) {
    StringBuilder frame = new StringBuilder();
    if (drawn > 0) {
      frame.append("\u001b[").append(drawn).append("F\u001b[J");
    }
    List<String> rows = new ArrayList<>();
    rows.add(
        String.format(
            Locale.ROOT,
            "%s  %s  %s",
            view.workflow(),
            view.status().label(),
            elapsed(view.startedAt(), view.endedAt())));
    for (StepView step : view.steps()) {
      rows.add(
          String.format(
              Locale.ROOT,
              "  %s %-24s %-16s %8s  %s",
              symbol(step.status()),
              indent(view, step) + step.id(),
              step.status().label(),
              step.startedAt() == null ? "" : elapsed(step.startedAt(), step.endedAt()),
              step.status() == StepStatus.WAITING_APPROVAL
                  ? "phisync approve " + view.runId() + " " + step.id()
                  : detail(step)));
    }
    rows.forEach(r -> frame.append(r).append(System.lineSeparator()));
    drawn = rows.size();
    out.print(frame);
  }

  private static String symbol(StepStatus status) {
    switch (status) {
      case COMPLETED:
        return "✓";
      case FAILED:
      case TIMED_OUT:
      case UPSTREAM_FAILED:
        return "✗";
      case SKIPPED:
      case CANCELED:
      case COMPENSATED:
        return "-";
      case PENDING:
        return " ";
      default:
        return "…";
    }
  }

  /** The final summary: the run, every step, the output or the error, where the files are. */
  void summary(RunView view) {
    out.println();
    out.printf(
        "%s (%s): %s after %s%n",
        view.runId(),
        view.workflow(),
        view.status().label(),
        elapsed(view.startedAt(), view.endedAt()));
    Table table = new Table("STEP", "KIND", "STATUS", "ATTEMPTS", "ELAPSED", "NOTE");
    for (StepView step : view.steps()) {
      table.row(
          indent(view, step) + step.id(),
          step.kind(),
          step.status().label(),
          String.valueOf(step.attempt()),
          step.startedAt() == null ? "" : elapsed(step.startedAt(), step.endedAt()),
          step.error() == null || step.status() == StepStatus.COMPLETED
              ? ""
              : cut(step.error(), MAX_NOTE_CHARS));
    }
    table.print(out);
    JsonNode output = view.output();
    if (output != null && !output.isNull()) {
      out.println("output: " + cut(Json.pretty(output), MAX_OUTPUT_CHARS));
    }
    if (view.error() != null) {
      out.println("error: " + view.error());
    }
    view.compensationFailures().forEach(f -> out.println("compensation failed: " + f));
    view.notes().forEach(n -> out.println("note: " + n));
    out.println("journal: " + journal(view.runId()));
    out.flush();
  }

  private Path journal(String runId) {
    return root.toAbsolutePath().resolve("shared").resolve("workflows").resolve(runId + ".journal");
  }

  private Instant now() {
    return clock.instant();
  }

  private Instant endOrNow(@Nullable Instant end) {
    return end == null ? now() : end;
  }

  private String elapsed(Instant start, @Nullable Instant end) {
    return format(Duration.between(start, endOrNow(end)));
  }

  /** How long a run took, or "-" while it runs. */
  static String took(Instant start, @Nullable Instant end) {
    return end == null ? "-" : format(Duration.between(start, end));
  }

  static String format(Duration d) {
    long millis = Math.max(0, d.toMillis());
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60);
  }

  private static String indent(RunView view, StepView step) {
    int depth = 0;
    Map<String, StepView> byId = new HashMap<>();
    view.steps().forEach(s -> byId.put(s.id(), s));
    for (String parent = step.parent(); parent != null && depth < 16; depth++) {
      StepView p = byId.get(parent);
      parent = p == null ? null : p.parent();
    }
    return "  ".repeat(depth);
  }

  private static String cut(String text, int max) {
    String one = text.length() > max ? text.substring(0, max - 1) + "…" : text;
    return max == MAX_OUTPUT_CHARS ? one : one.replace('\n', ' ');
  }
}
