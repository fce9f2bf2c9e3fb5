package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.approval.ApprovalDecision;
import io.phisync.approval.ApprovalException;
import io.phisync.approval.ApprovalOutcome;
import io.phisync.approval.ApprovalRequest;
import io.phisync.approval.Approvals;
import io.phisync.approval.ApproverIdentity;
import io.phisync.approval.ApproverKeys;
import io.phisync.approval.TrustedApprover;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The work of approve, reject, approvals and approver. */
final class ApprovalTasks {
  private final Session session;
  private final PrintWriter out;

  ApprovalTasks(Session session) {
    this.session = session;
    this.out = session.out();
  }

  private ApproverKeys keys(@Nullable Path home) {
    Path resolved = session.approverHome(home);
    try {
      return ApproverKeys.outside(session.root(), resolved);
    } catch (ApprovalException e) {
      throw CliException.usage(String.valueOf(e.getMessage()));
    }
  }

  int init(@Nullable Path home, @Nullable String name, boolean force) {
    AgentName approver = name != null ? agent(name) : defaultName();
    ApproverKeys keys = keys(home);
    ApproverIdentity identity;
    try {
      identity = keys.init(approver, force);
    } catch (ApprovalException e) {
      throw new CliException(ExitCodes.CONFLICT, String.valueOf(e.getMessage()));
    }
    out.println("approver:    " + identity.name());
    out.println("key id:      " + identity.keyId());
    out.println("private key: " + identity.privateKeyFile() + " (readable only by you)");
    out.println("public key:  " + identity.publicKeyFile());
    out.println("trusted on this machine (" + keys.home().resolve("trusted-approvers") + ").");
    out.println(
        "To approve on another machine's root, trust this key there: 'phisync approver show"
            + " --name "
            + identity.name()
            + "' here, then 'phisync approver trust "
            + identity.name()
            + " FILE' there.");
    return ExitCodes.OK;
  }

  private static AgentName defaultName() {
    String user = System.getProperty("user.name", "").toLowerCase(Locale.ROOT);
    try {
      return AgentName.of(user);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(
          "your user name '" + user + "' is not a valid approver name; pass --name NAME");
    }
  }

  private static AgentName agent(String name) {
    try {
      return AgentName.of(name);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("approver name: " + e.getMessage());
    }
  }

  int trust(@Nullable Path home, String name, Path file, boolean force) {
    String pem;
    try {
      if (Files.size(file) > 16_384) {
        throw CliException.usage(file + " is too large for a public key");
      }
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw CliException.usage("no such file: " + file);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
    TrustedApprover trusted;
    try {
      trusted = keys(home).trust(agent(name), pem, force);
    } catch (ApprovalException e) {
      String message = String.valueOf(e.getMessage());
      throw new CliException(
          message.contains("--force") ? ExitCodes.CONFLICT : ExitCodes.USAGE, message);
    }
    out.println("trusted approver " + trusted.name() + " (key id " + trusted.keyId() + ")");
    return ExitCodes.OK;
  }

  int list(@Nullable Path home, boolean json) {
    ApproverKeys keys = keys(home);
    Set<String> here =
        keys.identities().stream().map(i -> i.name().value()).collect(Collectors.toSet());
    List<TrustedApprover> trusted = keys.trusted();
    if (json) {
      ArrayNode array = Json.mapper().createArrayNode();
      for (TrustedApprover approver : trusted) {
        array.add(
            Json.object()
                .put("name", approver.name().value())
                .put("keyId", approver.keyId())
                .put("keyHere", here.contains(approver.name().value())));
      }
      out.println(Json.pretty(array));
      return ExitCodes.OK;
    }
    Table table = new Table("APPROVER", "KEY ID", "KEY HERE");
    for (TrustedApprover approver : trusted) {
      table.row(
          approver.name().value(),
          approver.keyId(),
          here.contains(approver.name().value()) ? "yes" : "no");
    }
    if (table.isEmpty()) {
      session.err().println("no trusted approvers in " + keys.home() + "; see 'approver init'");
    } else {
      table.print(out);
    }
    return ExitCodes.OK;
  }

  int show(@Nullable Path home, @Nullable String name) {
    ApproverKeys keys = keys(home);
    ApproverIdentity identity = identity(keys, name, ExitCodes.NOTHING_RECEIVED);
    try {
      out.print(Files.readString(identity.publicKeyFile(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new CliException(ExitCodes.FAILURE, "cannot read " + identity.publicKeyFile());
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static ApproverIdentity identity(ApproverKeys keys, @Nullable String name, int missing) {
    if (name != null) {
      return keys.identity(agent(name))
          .orElseThrow(
              () ->
                  new CliException(
                      missing,
                      "no approver key for '"
                          + name
                          + "' in "
                          + keys.home()
                          + "; create one with 'phisync approver init --name "
                          + name
                          + "'"));
    }
    List<ApproverIdentity> all = keys.identities();
    if (all.isEmpty()) {
      throw new CliException(
          missing,
          "no approver key in " + keys.home() + "; create one with 'phisync approver init'");
    }
    if (all.size() > 1) {
      throw CliException.usage(
          "several approver keys here ("
              + all.stream().map(i -> i.name().value()).collect(Collectors.joining(", "))
              + "): choose one with --as / --name");
    }
    return all.get(0);
  }

  int pending(@Nullable Path home, boolean json) {
    try (PhiSync phi = session.openWithApprovers(session.approverHome(home))) {
      List<ApprovalRequest> pending = approvals(phi).pending();
      if (json) {
        ArrayNode array = Json.mapper().createArrayNode();
        pending.forEach(r -> array.add(toJson(r)));
        out.println(Json.pretty(array));
        return ExitCodes.OK;
      }
      Table table = new Table("RUN", "STEP", "WORKFLOW", "UNTIL", "APPROVERS", "MESSAGE");
      for (ApprovalRequest r : pending) {
        table.row(
            r.runId(),
            r.step(),
            r.workflow(),
            r.expiresAt().toString(),
            r.approvers().isEmpty() ? "any trusted" : names(r.approvers()),
            r.message());
      }
      if (table.isEmpty()) {
        session.err().println("no approval requests wait for a decision");
      } else {
        table.print(out);
      }
      return ExitCodes.OK;
    }
  }

  private static Approvals approvals(PhiSync phi) {
    try {
      return phi.approvals();
    } catch (ApprovalException e) {
      throw CliException.usage(String.valueOf(e.getMessage()));
    }
  }

  private static String names(List<AgentName> names) {
    return names.stream().map(AgentName::value).collect(Collectors.joining(","));
  }

  private static ObjectNode toJson(ApprovalRequest r) {
    ObjectNode json =
        Json.object()
            .put("runId", r.runId())
            .put("step", r.step())
            .put("workflow", r.workflow())
            .put("message", r.message())
            .put("requestedBy", r.requestedBy().value())
            .put("requestedAt", r.requestedAt().toString())
            .put("expiresAt", r.expiresAt().toString());
    json.set("context", r.context());
    ArrayNode approvers = json.putArray("approvers");
    r.approvers().forEach(a -> approvers.add(a.value()));
    return json;
  }

  int decide(ApproveCommand.Decision options, boolean approved) {
    Path home = session.approverHome(options.home);
    try (PhiSync phi = session.openWithApprovers(home)) {
      Approvals approvals = approvals(phi);
      ApprovalRequest request = request(approvals, options.run, options.step);
      describe(request);
      alreadyResolved(approvals, request);
      Instant now = Instant.now();
      if (now.isAfter(request.expiresAt())) {
        throw new CliException(
            ExitCodes.CONFLICT, "the request expired at " + request.expiresAt() + "; not signed");
      }
      Optional<ApprovalOutcome> existing = approvals.check(request);
      if (existing.isPresent() && existing.get() instanceof ApprovalOutcome.Decided) {
        throw decidedAlready((ApprovalOutcome.Decided) existing.get());
      }
      if (existing.isPresent() && existing.get() instanceof ApprovalOutcome.Refused) {
        ApprovalOutcome.Refused refused = (ApprovalOutcome.Refused) existing.get();
        session
            .err()
            .println(
                "phisync: refused a decision file that did not verify: "
                    + refused.reason()
                    + " (moved to "
                    + refused.movedTo()
                    + ")");
      }
      ApproverKeys keys = keys(options.home);
      ApproverIdentity identity = identity(keys, options.as, ExitCodes.USAGE);
      if (!request.approvers().isEmpty() && !request.approvers().contains(identity.name())) {
        throw CliException.usage(
            "approver '"
                + identity.name()
                + "' may not decide this request; its approvers: "
                + names(request.approvers()));
      }
      ApprovalDecision decision;
      try {
        decision = keys.sign(identity.name(), request, approved, options.comment, now);
      } catch (ApprovalException e) {
        throw CliException.usage(String.valueOf(e.getMessage()));
      }
      if (!approvals.submit(decision)) {
        String by =
            approvals
                .decision(request.runId(), request.step())
                .map(
                    d -> " (" + d.decision() + " by " + d.approver() + " at " + d.decidedAt() + ")")
                .orElse("");
        throw new CliException(ExitCodes.CONFLICT, "decided already" + by + "; not written");
      }
      out.println(
          decision.decision()
              + " "
              + request.runId()
              + " "
              + request.step()
              + " as "
              + identity.name()
              + " (key id "
              + identity.keyId()
              + "); the workflow picks the decision up from shared/approvals/"
              + request.runId()
              + "/"
              + request.step()
              + ".decision.json");
      return ExitCodes.OK;
    }
  }

  private ApprovalRequest request(Approvals approvals, String run, String step) {
    Optional<ApprovalRequest> request;
    try {
      request = approvals.find(run, step);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(String.valueOf(e.getMessage()));
    }
    if (request.isPresent()) {
      return request.get();
    }
    List<ApprovalRequest> pending = approvals.pending();
    String list =
        pending.isEmpty()
            ? "no requests wait for a decision"
            : "waiting: "
                + pending.stream()
                    .map(r -> r.runId() + " " + r.step())
                    .collect(Collectors.joining(", "));
    throw new CliException(
        ExitCodes.NOTHING_RECEIVED,
        "no approval request for run " + run + " step " + step + "; " + list);
  }

  private static void alreadyResolved(Approvals approvals, ApprovalRequest request) {
    Optional<String> resolution = approvals.resolution(request.runId(), request.step());
    if (resolution.isPresent()) {
      String by =
          approvals
              .decision(request.runId(), request.step())
              .map(d -> ", " + d.decision() + " by " + d.approver() + " at " + d.decidedAt())
              .orElse("");
      throw new CliException(
          ExitCodes.CONFLICT, "the request is closed already (" + resolution.get() + by + ")");
    }
  }

  private static CliException decidedAlready(ApprovalOutcome.Decided decided) {
    return new CliException(
        ExitCodes.CONFLICT,
        "decided already: "
            + (decided.approved() ? "approved" : "rejected")
            + " by "
            + decided.approver()
            + " at "
            + decided.at()
            + (decided.comment().isEmpty() ? "" : " (\"" + decided.comment() + "\")"));
  }

  private void describe(ApprovalRequest r) {
    out.println("workflow:  " + r.workflow() + " (run " + r.runId() + ", step " + r.step() + ")");
    out.println("message:   " + r.message());
    if (r.context() != null) {
      out.println("context:");
      for (String line : Json.pretty(r.context()).split("\n", -1)) {
        out.println("  " + line);
      }
    }
    out.println("asked by:  " + r.requestedBy() + " at " + r.requestedAt());
    out.println("until:     " + r.expiresAt());
    out.println(
        "approvers: " + (r.approvers().isEmpty() ? "any trusted approver" : names(r.approvers())));
    out.flush();
  }
}
