package io.phisync.bench.process;

import io.phisync.protocol.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the references write and read: a temp file whose name starts with a dot (Camel and the
 * codex's {@code *.json} listing both skip it), then a rename; fsync of file and directory when
 * durable. No PhiSync code on this path.
 */
final class PlainFiles {
  private PlainFiles() {}

  /** Writes bytes to {@code dir/name} by create-write-rename. */
  static void write(Path dir, String name, byte[] bytes, boolean fsync) throws IOException {
    Path temp = dir.resolve("." + name + ".tmp");
    try (FileChannel channel =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (fsync) {
        channel.force(true);
      }
    }
    Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    if (fsync) {
      forceDirectory(dir);
    }
  }

  /** Forces {@code dir}'s entries to disk: a rename into it survives a machine crash. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  /** A codex-style message: {@code id, timestamp, from, to, type, payload{command, sentMicros}}. */
  static ObjectNode message(String id, String from, String to, String type) {
    ObjectNode message = Json.object();
    message.put("id", id);
    message.put("timestamp", java.time.OffsetDateTime.now().toString());
    message.put("from", from);
    message.put("to", to);
    message.put("type", type);
    message.putObject("payload").put("command", "bench").put("sentMicros", WallClock.micros());
    return message;
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  static byte[] bytes(JsonNode node) {
    return Json.mapper().writeValueAsBytes(node);
  }

  static JsonNode parse(byte[] bytes) {
    return Json.mapper().readTree(bytes);
  }

  /** The sender's timestamp in a message written by {@link #message} or by a PhiSync producer. */
  static long sentMicros(JsonNode message) {
    return message.path("payload").path("sentMicros").asLong();
  }

  /** The sender's timestamp in an envelope a PhiSync producer or requester sent. */
  static long sentMicros(io.phisync.protocol.Envelope message) {
    JsonNode payload = message.payload();
    return payload == null ? 0 : payload.path("sentMicros").asLong();
  }
}
