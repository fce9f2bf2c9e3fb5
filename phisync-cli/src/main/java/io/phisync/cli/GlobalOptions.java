package io.phisync.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, mixed into {@link PhisyncCommand} (and into the root of a {@link
 * LeanCommandLine}) and inherited by its commands.
 */
final class GlobalOptions {
  @Option(
      names = "--root",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "The coordination root (default: $PHISYNC_ROOT, else the platform default).")
  @Nullable Path root;

  @Option(
      names = "--fast",
      scope = ScopeType.INHERIT,
      description = "Skip fsync: atomic but not crash-durable writes.")
  boolean fast;

  @Option(
      names = "--poll",
      scope = ScopeType.INHERIT,
      description = "Poll directories instead of OS file watching (for network shares).")
  boolean poll;
}
