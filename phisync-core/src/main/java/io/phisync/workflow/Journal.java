package io.phisync.workflow;

import io.phisync.protocol.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The journal entries of a run (docs/PROTOCOL.md section 13): one JSON object per revision of
 * {@code shared/workflows/<runId>.journal/}, each with {@code type} and {@code at}.
 */
final class Journal {
  static final String RUN_CREATED = "RunCreated";
  static final String ORCHESTRATOR_ATTACHED = "OrchestratorAttached";
  static final String STEP_STARTED = "StepStarted";
  static final String STEP_SCHEDULED = "StepScheduled";
  static final String SCATTER_PLANNED = "ScatterPlanned";
  static final String CONDITION_CHOSEN = "ConditionChosen";
  static final String TIMER_STARTED = "TimerStarted";
  static final String APPROVAL_REQUESTED = "ApprovalRequested";
  static final String APPROVAL_REFUSED = "ApprovalRefused";
  static final String CHILD_STARTED = "ChildStarted";
  static final String STEP_COMPLETED = "StepCompleted";
  static final String STEP_FAILED = "StepFailed";
  static final String STEP_SKIPPED = "StepSkipped";
  static final String STEP_UPSTREAM_FAILED = "StepUpstreamFailed";
  static final String STEP_CANCELED = "StepCanceled";
  static final String COMPENSATION_SCHEDULED = "CompensationScheduled";
  static final String COMPENSATION_COMPLETED = "CompensationCompleted";
  static final String COMPENSATION_FAILED = "CompensationFailed";
  static final String CANCEL_REQUESTED = "CancelRequested";
  static final String RETRY_REQUESTED = "RetryRequested";
  static final String RUN_COMPLETED = "RunCompleted";
  static final String RUN_FAILED = "RunFailed";
  static final String RUN_CANCELED = "RunCanceled";

  /**
   * The field of an entry that carries further events committed with the entry's own one, applied
   * after it in order (each an object with {@code type}, {@code at} and its fields; no {@code also}
   * of its own).
   */
  static final String ALSO = "also";

  private Journal() {}

  /**
   * One journal entry holding {@code events} in order: the first with the others in {@link #ALSO}
   * (just the first when it is alone). The first event's node becomes the entry.
   */
  static ObjectNode combine(List<ObjectNode> events) {
    ObjectNode entry = events.get(0);
    if (events.size() > 1) {
      ArrayNode also = entry.putArray(ALSO);
      events.subList(1, events.size()).forEach(also::add);
    }
    return entry;
  }

  /** The events of an entry, in the order they apply: its own, then those of {@link #ALSO}. */
  static List<JsonNode> events(JsonNode entry) {
    List<JsonNode> out = new ArrayList<>();
    out.add(entry);
    JsonNode also = entry.get(ALSO);
    if (also != null && also.isArray()) {
      also.forEach(out::add);
    }
    return out;
  }

  static ObjectNode entry(String type, Instant at) {
    ObjectNode out = Json.object();
    out.put("type", type);
    out.put("at", at.toString());
    return out;
  }

  static ObjectNode stepEntry(String type, Instant at, String step) {
    return entry(type, at).put("step", step);
  }

  static String type(JsonNode entry) {
    return entry.path("type").asString("");
  }

  static Instant at(JsonNode entry) {
    return Instant.parse(entry.path("at").asString());
  }

  static @Nullable String text(JsonNode entry, String field) {
    JsonNode node = entry.get(field);
    return node == null || node.isNull() ? null : node.asString();
  }

  static @Nullable Instant instant(JsonNode entry, String field) {
    String text = text(entry, field);
    return text == null ? null : Instant.parse(text);
  }
}
