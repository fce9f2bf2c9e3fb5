package io.phisync.cli;

import io.phisync.PhiSync;
import io.phisync.approval.ApproverKeys;
import io.phisync.spi.Durability;
import io.phisync.spi.PollingMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;

/** What every command needs: the root, the write and watch modes, and the output streams. */
final class Session {
  private final PhisyncCommand global;
  private final PrintWriter out;
  private final PrintWriter err;

  private Session(PhisyncCommand global, PrintWriter out, PrintWriter err) {
    this.global = global;
    this.out = out;
    this.err = err;
  }

  static Session of(CommandSpec spec) {
    PhisyncCommand global = (PhisyncCommand) spec.root().userObject();
    return new Session(global, spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  /** Protocol output: ids, envelopes, tables, JSON. */
  PrintWriter out() {
    return out;
  }

  /** Diagnostics. */
  PrintWriter err() {
    return err;
  }

  /** The raw standard streams (phisync mcp). */
  StandardStreams stdio() {
    return global.stdio();
  }

  /** The environment (for a command run in-process on behalf of this one). */
  java.util.Map<String, String> env() {
    return global.env();
  }

  Path root() {
    return global.resolveRoot();
  }

  @Nullable Path explicitRoot() {
    return global.explicitRoot();
  }

  Durability durability() {
    return global.options.fast ? Durability.FAST : Durability.DURABLE;
  }

  PollingMode pollingMode() {
    return global.options.poll ? PollingMode.POLL : PollingMode.AUTO;
  }

  /** The flags to hand to a child process so it writes and watches as this one does. */
  List<String> globalFlags() {
    List<String> flags = new ArrayList<>();
    if (global.options.fast) {
      flags.add("--fast");
    }
    if (global.options.poll) {
      flags.add("--poll");
    }
    return flags;
  }

  /** Opens a root that may not exist yet (for init). */
  PhiSync create(Path root) {
    return PhiSync.builder(root).durability(durability()).pollingMode(pollingMode()).open();
  }

  /**
   * Opens the root, which must exist.
   *
   * @throws CliException (usage) when there is no root there
   */
  PhiSync open() {
    return open(null);
  }

  /** Opens the root, which must exist, with a lease for the messages this process claims. */
  PhiSync open(@Nullable Duration lease) {
    Path root = root();
    if (!Files.isDirectory(root)) {
      throw CliException.usage(
          "no PhiSync root at " + root + "; create one with 'phisync --root " + root + " init'");
    }
    PhiSync.Builder builder =
        PhiSync.builder(root).durability(durability()).pollingMode(pollingMode());
    if (lease != null) {
      builder.bus(options -> options.lease(lease));
    }
    return builder.open();
  }

  /** The approver home: {@code explicit}, else $PHISYNC_HOME, else ~/.phisync. */
  Path approverHome(@Nullable Path explicit) {
    return explicit != null ? explicit : ApproverKeys.defaultHome(global.env());
  }

  /** Opens the root, which must exist, verifying approvals with the keys in {@code home}. */
  PhiSync openWithApprovers(Path approverHome) {
    Path root = root();
    if (!Files.isDirectory(root)) {
      throw CliException.usage(
          "no PhiSync root at " + root + "; create one with 'phisync --root " + root + " init'");
    }
    return PhiSync.builder(root)
        .durability(durability())
        .pollingMode(pollingMode())
        .approverHome(approverHome)
        .open();
  }
}
