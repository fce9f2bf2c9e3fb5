package io.phisync.workflow;

import java.util.List;

/** A definition with problems; {@link #problems()} lists every one, each naming its step. */
public final class WorkflowValidationException extends WorkflowException {
  private static final long serialVersionUID = 1L;

  private final List<Problem> problems;

  public WorkflowValidationException(String source, List<Problem> problems) {
    super(source + ": " + problems.size() + " problem(s):\n" + render(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String render(List<Problem> problems) {
    StringBuilder out = new StringBuilder();
    for (Problem p : problems) {
      out.append("  ").append(p).append('\n');
    }
    return out.toString().stripTrailing();
  }

  /**
   * One problem.
   *
   * @param step the step it concerns, or "" for the workflow as a whole
   * @param path where in the file, e.g. {@code steps[2].task.agent}, or ""
   * @param message what is wrong and what would be right
   */
  public record Problem(String step, String path, String message) {
    @Override
    public String toString() {
      String where = step.isEmpty() ? "workflow" : "step '" + step + "'";
      return where + (path.isEmpty() ? "" : " (" + path + ")") + ": " + message;
    }
  }
}
