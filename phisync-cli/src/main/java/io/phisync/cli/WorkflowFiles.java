package io.phisync.cli;

import io.phisync.protocol.Json;
import io.phisync.workflow.Step;
import io.phisync.workflow.StepBody;
import io.phisync.workflow.WorkflowDefinition;
import io.phisync.workflow.WorkflowException;
import io.phisync.workflow.WorkflowGraph;
import io.phisync.workflow.WorkflowLoader;
import io.phisync.workflow.WorkflowValidationException;
import io.phisync.workflow.WorkflowValidationException.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The definition-file commands: validate and graph (they need no root). */
final class WorkflowFiles {
  private final PrintWriter out;
  private final PrintWriter err;

  WorkflowFiles(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  int validate(Path file, boolean json) {
    try {
      WorkflowDefinition definition = WorkflowLoader.load(file);
      Map<String, Integer> kinds = new TreeMap<>();
      int steps = count(definition.steps(), kinds);
      if (json) {
        ObjectNode result = Json.object();
        result.put("file", file.toString());
        result.put("valid", true);
        result.put("workflow", definition.name());
        result.put("steps", steps);
        ObjectNode byKind = result.putObject("kinds");
        kinds.forEach(byKind::put);
        out.println(Json.pretty(result));
      } else {
        StringBuilder summary = new StringBuilder();
        kinds.forEach(
            (kind, n) ->
                summary
                    .append(summary.length() == 0 ? "" : ", ")
                    .append(n)
                    .append(' ')
                    .append(kind));
        out.println(
            file.getFileName()
                + ": workflow '"
                + definition.name()
                + "' is valid: "
                + steps
                + " steps ("
                + summary
                + ")");
      }
      return ExitCodes.OK;
    } catch (WorkflowValidationException e) {
      return problems(file, e.problems(), json);
    } catch (WorkflowException e) {
      return problems(file, List.of(new Problem("", "", String.valueOf(e.getMessage()))), json);
    }
  }

  int graph(Path file) {
    try {
      out.print(WorkflowGraph.mermaid(WorkflowLoader.load(file)));
      out.flush();
      return ExitCodes.OK;
    } catch (WorkflowValidationException e) {
      return problems(file, e.problems(), false);
    } catch (WorkflowException e) {
      err.println("phisync: " + e.getMessage());
      return ExitCodes.FAILURE;
    }
  }

  private int problems(Path file, List<Problem> problems, boolean json) {
    if (json) {
      ObjectNode result = Json.object();
      result.put("file", file.toString());
      result.put("valid", false);
      ArrayNode list = result.putArray("problems");
      for (Problem p : problems) {
        list.addObject().put("step", p.step()).put("path", p.path()).put("message", p.message());
      }
      out.println(Json.pretty(result));
    } else {
      err.println(file + ": " + problems.size() + " problem(s):");
      problems.forEach(p -> err.println("  " + p));
    }
    return ExitCodes.FAILURE;
  }

  /** Steps by kind, nested ones included (not those of sub-workflows, which are one step). */
  private static int count(List<Step> steps, Map<String, Integer> kinds) {
    int n = 0;
    for (Step step : steps) {
      n++;
      kinds.merge(step.kind(), 1, Integer::sum);
      StepBody body = step.body();
      if (body instanceof StepBody.Parallel p) {
        n += count(p.branches(), kinds);
      } else if (body instanceof StepBody.Pipeline p) {
        n += count(p.stages(), kinds);
      } else if (body instanceof StepBody.Condition c) {
        n += count(c.then(), kinds) + count(c.otherwise(), kinds);
      }
    }
    return n;
  }
}
