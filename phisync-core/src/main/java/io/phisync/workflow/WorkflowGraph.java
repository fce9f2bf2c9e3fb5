package io.phisync.workflow;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A definition as a Mermaid flowchart ({@code flowchart TD}): a node per step labelled with its
 * kind and agent/command, composite steps as subgraphs, edges from {@code dependsOn} and pipeline
 * order; with a {@link RunView}, a class per step state colours the steps.
 */
public final class WorkflowGraph {
  private WorkflowGraph() {}

  /** The Mermaid text of {@code definition}. */
  public static String mermaid(WorkflowDefinition definition) {
    return mermaid(definition, null);
  }

  /** The Mermaid text of {@code definition}, its steps coloured by their state in {@code run}. */
  public static String mermaid(WorkflowDefinition definition, @Nullable RunView run) {
    StringBuilder out = new StringBuilder("flowchart TD\n");
    block(definition.steps(), out, "  ", false);
    if (definition.onFailure() != null) {
      block(List.of(definition.onFailure()), out, "  ", false);
      out.append("  %% onFailure: ").append(definition.onFailure().id()).append('\n');
    }
    if (run != null) {
      for (StepStatus status : StepStatus.values()) {
        out.append("  classDef ")
            .append(css(status))
            .append(' ')
            .append(style(status))
            .append('\n');
      }
      for (RunView.StepView step : run.steps()) {
        if (step.id().indexOf('[') < 0) {
          out.append("  class ")
              .append(node(step.id()))
              .append(' ')
              .append(css(step.status()))
              .append('\n');
        }
      }
    }
    return out.toString();
  }

  private static void block(List<Step> steps, StringBuilder out, String indent, boolean pipeline) {
    for (Step step : steps) {
      StepBody body = step.body();
      if (body instanceof StepBody.Parallel p) {
        subgraph(
            step,
            "parallel, merge " + WorkflowCodec.label(p.merge()),
            p.branches(),
            out,
            indent,
            false);
      } else if (body instanceof StepBody.Pipeline p) {
        subgraph(step, "pipeline", p.stages(), out, indent, true);
      } else if (body instanceof StepBody.Condition c) {
        out.append(indent)
            .append("subgraph ")
            .append(node(step.id()))
            .append("[\"")
            .append(escape(step.id() + " (condition: " + c.condition() + ")"))
            .append("\"]\n");
        block(c.then(), out, indent + "  ", false);
        block(c.otherwise(), out, indent + "  ", false);
        out.append(indent).append("end\n");
      } else {
        out.append(indent)
            .append(node(step.id()))
            .append("[\"")
            .append(escape(step.id()))
            .append("<br/>")
            .append(escape(label(body)))
            .append("\"]\n");
      }
    }
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      for (String dep : step.dependsOn()) {
        out.append(indent).append(node(dep)).append(" --> ").append(node(step.id())).append('\n');
      }
      if (pipeline && i > 0) {
        out.append(indent)
            .append(node(steps.get(i - 1).id()))
            .append(" --> ")
            .append(node(step.id()))
            .append('\n');
      }
    }
  }

  private static void subgraph(
      Step step,
      String what,
      List<Step> inner,
      StringBuilder out,
      String indent,
      boolean pipeline) {
    out.append(indent)
        .append("subgraph ")
        .append(node(step.id()))
        .append("[\"")
        .append(escape(step.id() + " (" + what + ")"))
        .append("\"]\n");
    block(inner, out, indent + "  ", pipeline);
    out.append(indent).append("end\n");
  }

  private static String label(StepBody body) {
    if (body instanceof StepBody.Task t) {
      return "task: " + t.agent().value() + "/" + t.command();
    }
    if (body instanceof StepBody.Scatter s) {
      return "scatter: "
          + s.task().agent().value()
          + "/"
          + s.task().command()
          + ", merge "
          + WorkflowCodec.label(s.merge());
    }
    if (body instanceof StepBody.Approval a) {
      return "approval"
          + (a.approvers().isEmpty()
              ? ""
              : ": " + String.join(", ", a.approvers().stream().map(n -> n.value()).toList()));
    }
    if (body instanceof StepBody.Wait w) {
      return "wait: " + (w.duration() != null ? w.duration().toString() : "until " + w.until());
    }
    if (body instanceof StepBody.SubWorkflow w) {
      return "workflow: " + w.workflow().name();
    }
    return body.kind();
  }

  /** Mermaid ids: a prefix keeps step ids such as {@code end} from being keywords. */
  static String node(String id) {
    return "s_" + id;
  }

  private static String escape(String text) {
    return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
  }

  private static String css(StepStatus status) {
    return status.name().toLowerCase(Locale.ROOT);
  }

  private static String style(StepStatus status) {
    switch (status) {
      case COMPLETED:
        return "fill:#c8e6c9,stroke:#2e7d32";
      case FAILED:
      case TIMED_OUT:
      case UPSTREAM_FAILED:
        return "fill:#ffcdd2,stroke:#c62828";
      case RUNNING:
      case SCHEDULED:
        return "fill:#bbdefb,stroke:#1565c0";
      case UP_FOR_RETRY:
      case WAITING_APPROVAL:
        return "fill:#fff9c4,stroke:#f9a825";
      case COMPENSATING:
      case COMPENSATED:
        return "fill:#e1bee7,stroke:#6a1b9a";
      case SKIPPED:
      case CANCELED:
        return "fill:#eeeeee,stroke:#9e9e9e";
      default:
        return "fill:#ffffff,stroke:#616161";
    }
  }
}
