package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Create the directory layout for these agents; keeps whatever exists.")
final class InitCommand extends CliCommand {
  @Option(
      names = "--agents",
      split = ",",
      paramLabel = "NAME",
      converter = AgentNameConverter.class,
      description = "Comma-separated agent names (default: dc,vssc,kalic,webc,cmdc).")
  @Nullable List<AgentName> agents;

  @Override
  public Integer call() {
    Session session = session();
    List<AgentName> names = agents == null ? PhiSync.DEFAULT_AGENTS : agents;
    try (PhiSync phi = session.create(session.root())) {
      phi.init(names);
      session
          .out()
          .println(
              "Initialized "
                  + phi.root().toAbsolutePath()
                  + " for "
                  + String.join(", ", names.stream().map(AgentName::value).toList()));
    }
    return ExitCodes.OK;
  }
}
