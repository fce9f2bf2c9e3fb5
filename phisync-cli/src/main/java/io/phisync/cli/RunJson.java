package io.phisync.cli;

import io.phisync.protocol.Json;
import io.phisync.workflow.RunView;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A run as the CLI's --json prints it. */
final class RunJson {
  private RunJson() {}

  /** The whole view: the run, every step, outputs included. */
  static ObjectNode view(RunView run) {
    ObjectNode json = summary(run);
    json.set("input", run.input());
    json.set("output", run.output());
    ArrayNode steps = json.putArray("steps");
    for (RunView.StepView step : run.steps()) {
      ObjectNode s = steps.addObject();
      s.put("id", step.id());
      s.put("kind", step.kind());
      s.put("parent", step.parent());
      s.put("status", step.status().label());
      s.put("attempt", step.attempt());
      s.put("startedAt", text(step.startedAt()));
      s.put("endedAt", text(step.endedAt()));
      s.put("error", step.error());
      s.set("output", step.output());
    }
    ArrayNode failures = json.putArray("compensationFailures");
    run.compensationFailures().forEach(failures::add);
    ArrayNode notes = json.putArray("notes");
    run.notes().forEach(notes::add);
    json.put("journalVersion", run.journalVersion());
    return json;
  }

  /** One line of {@code workflow list}. */
  static ObjectNode summary(RunView run) {
    ObjectNode json = Json.object();
    json.put("runId", run.runId());
    json.put("workflow", run.workflow());
    json.put("status", run.status().label());
    json.put("startedAt", run.startedAt().toString());
    json.put("endedAt", text(run.endedAt()));
    json.put("parentRunId", run.parentRunId());
    json.put("error", run.error());
    json.put("steps", run.steps().size());
    json.put("stepsDone", doneSteps(run));
    return json;
  }

  static long doneSteps(RunView run) {
    return run.steps().stream().filter(s -> s.status().isDone()).count();
  }

  private static @Nullable String text(@Nullable Instant at) {
    return at == null ? null : at.toString();
  }
}
