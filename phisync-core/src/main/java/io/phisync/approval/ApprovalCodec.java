package io.phisync.approval;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.ForeignText;
import io.phisync.protocol.Json;
import io.phisync.protocol.MalformedMessageException;
import io.phisync.protocol.Timestamps;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON of request and decision files (docs/PROTOCOL.md, section 14). */
final class ApprovalCodec {
  static final String REQUEST_KIND = "phisync.approval-request/1";

  private ApprovalCodec() {}

  static byte[] request(ApprovalRequest request) {
    ObjectNode json = Json.object();
    json.put("kind", REQUEST_KIND);
    json.put("runId", request.runId());
    json.put("step", request.step());
    json.put("workflow", request.workflow());
    json.put("nonce", request.nonce());
    json.put("message", request.message());
    json.set("context", request.context());
    json.put("requestedBy", request.requestedBy().value());
    json.put("requestedAt", request.requestedAt().toString());
    json.put("expiresAt", request.expiresAt().toString());
    ArrayNode approvers = json.putArray("approvers");
    request.approvers().forEach(a -> approvers.add(a.value()));
    return Json.mapper().writeValueAsBytes(json);
  }

  /**
   * @throws MalformedMessageException naming what is wrong
   */
  static ApprovalRequest request(byte[] bytes) {
    JsonNode json = object(bytes);
    if (!REQUEST_KIND.equals(json.path("kind").asString(""))) {
      throw new MalformedMessageException("kind is not " + REQUEST_KIND);
    }
    List<AgentName> approvers = new ArrayList<>();
    for (JsonNode approver : json.path("approvers")) {
      approvers.add(agent(approver.asString(""), "approvers"));
    }
    JsonNode context = json.get("context");
    return new ApprovalRequest(
        text(json, "runId"),
        text(json, "step"),
        text(json, "workflow"),
        text(json, "nonce"),
        text(json, "message"),
        context == null || context.isNull() ? null : context,
        agent(text(json, "requestedBy"), "requestedBy"),
        instant(json, "requestedAt"),
        instant(json, "expiresAt"),
        approvers);
  }

  static byte[] decision(ApprovalDecision decision) {
    ObjectNode json = Json.object();
    json.put("kind", ApprovalDecision.KIND);
    json.put("runId", decision.runId());
    json.put("step", decision.step());
    json.put("nonce", decision.nonce());
    json.put("decision", decision.decision());
    json.put("approver", decision.approver());
    json.put("keyId", decision.keyId());
    json.put("comment", decision.comment());
    json.put("decidedAt", decision.decidedAt());
    json.put("signature", decision.signature());
    return Json.mapper().writeValueAsBytes(json);
  }

  /**
   * Reads a decision file's fields as written, without verifying anything but their presence.
   *
   * @throws MalformedMessageException naming what is missing or wrong
   */
  static ApprovalDecision decision(byte[] bytes) {
    JsonNode json = object(bytes);
    String kind = json.path("kind").asString("");
    if (!ApprovalDecision.KIND.equals(kind)) {
      throw new MalformedMessageException(
          "kind is '" + kind + "', not '" + ApprovalDecision.KIND + "'");
    }
    String decision = text(json, "decision");
    if (!decision.equals("approved") && !decision.equals("rejected")) {
      throw new MalformedMessageException(
          "decision is '" + decision + "', neither 'approved' nor 'rejected'");
    }
    return new ApprovalDecision(
        text(json, "runId"),
        text(json, "step"),
        text(json, "nonce"),
        decision.equals("approved"),
        text(json, "approver"),
        text(json, "keyId"),
        text(json, "comment"),
        text(json, "decidedAt"),
        text(json, "signature"));
  }

  static byte[] closed(String resolution, Instant at) {
    ObjectNode json = Json.object();
    json.put("kind", "phisync.approval-closed/1");
    json.put("resolution", resolution);
    json.put("closedAt", at.toString());
    return Json.mapper().writeValueAsBytes(json);
  }

  static String resolution(byte[] bytes) {
    return object(bytes).path("resolution").asString("closed");
  }

  private static JsonNode object(byte[] bytes) {
    JsonNode json;
    try {
      json = Json.mapper().readTree(ForeignText.decode(bytes));
    } catch (JacksonException e) {
      throw new MalformedMessageException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new MalformedMessageException("not a JSON object");
    }
    return json;
  }

  private static String text(JsonNode json, String field) {
    @Nullable JsonNode value = json.get(field);
    if (value == null || !value.isString()) {
      throw new MalformedMessageException("field '" + field + "' is missing or not a string");
    }
    return value.asString();
  }

  private static Instant instant(JsonNode json, String field) {
    try {
      return Timestamps.parse(text(json, field)).toInstant();
    } catch (DateTimeException e) {
      throw new MalformedMessageException("field '" + field + "': " + e.getMessage(), e);
    }
  }

  private static AgentName agent(String value, String field) {
    try {
      return AgentName.of(value);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("field '" + field + "': " + e.getMessage(), e);
    }
  }
}
