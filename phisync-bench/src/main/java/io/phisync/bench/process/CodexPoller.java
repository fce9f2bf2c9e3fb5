package io.phisync.bench.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A faithful port of the codex's inbox polling: list {@code *.json}; when there are messages,
 * return them; otherwise sleep 100 ms, doubling to at most 5 s, and list again.
 */
final class CodexPoller {
  static final long FIRST_DELAY_MS = 100;
  static final long MAX_DELAY_MS = 5_000;

  private final Path inbox;

  CodexPoller(Path inbox) {
    this.inbox = inbox;
  }

  /** The inbox's messages in name order (as Get-ChildItem lists them), empty once stopped. */
  List<Path> poll(BooleanSupplier stopped) throws IOException, InterruptedException {
    long delay = FIRST_DELAY_MS;
    while (!stopped.getAsBoolean()) {
      List<Path> messages = list();
      if (!messages.isEmpty()) {
        return messages;
      }
      Thread.sleep(delay);
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
    return List.of();
  }

  private List<Path> list() throws IOException {
    List<Path> messages = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox, "*.json")) {
      files.forEach(messages::add);
    }
    Collections.sort(messages);
    return messages;
  }

  /** Moves a handled message to {@code inbox/processed/}, as the codex's agents do. */
  void processed(Path message) throws IOException {
    Path processed = inbox.resolve("processed");
    Files.createDirectories(processed);
    Files.move(message, processed.resolve(message.getFileName()));
  }
}
