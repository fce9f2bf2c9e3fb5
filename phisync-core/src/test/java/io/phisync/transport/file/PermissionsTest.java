package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.phisync.protocol.AgentName;
import io.phisync.protocol.Envelope;
import io.phisync.protocol.Json;
import io.phisync.protocol.MessageId;
import io.phisync.protocol.MessageType;
import io.phisync.spi.Claim;
import io.phisync.spi.Durability;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On POSIX a root is private to its owner (directories 0700, files 0600) unless it was prepared
 * shared with a group (setgid and group-writable: 2770), in which case all below is 2770 and 0660.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PermissionsTest {
  private static final AgentName DC = AgentName.of("dc");
  private static final AgentName WEBC = AgentName.of("webc");

  @TempDir Path dir;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"));
  }

  @Test
  void aNewRoot_isPrivateToItsOwner() throws Exception {
    Path root = dir.resolve("new/root");
    exercise(root);
    assertThat(modes(root, true)).as("directories").containsOnlyKeys("700");
    assertThat(modes(root, false)).as("files").containsOnlyKeys("600");
    assertThat(mode(dir.resolve("new"))).as("a parent PhiSync had to create").isEqualTo("700");
  }

  @Test
  void aRootPreparedForAGroup_isSharedWithIt() throws Exception {
    Path root = dir.resolve("team");
    Files.createDirectory(root);
    Files.setAttribute(root, "unix:mode", 02770);
    exercise(root);
    assertThat(modes(root, true)).as("directories").containsOnlyKeys("2770");
    assertThat(modes(root, false)).as("files").containsOnlyKeys("660");
  }

  /** Init, a message sent, claimed, answered and acked, one dead-lettered: most kinds of file. */
  private static void exercise(Path root) {
    try (FileTransport transport =
        FileTransport.open(
            FileTransportConfig.builder(root).durability(Durability.DURABLE).build())) {
      transport.initialize(List.of(DC, WEBC));
      transport.enqueue(WEBC, message("a"));
      transport.enqueue(WEBC, message("b"));
      Claim a = transport.claim(WEBC, "t", java.time.Duration.ofMinutes(1)).orElseThrow();
      transport.respond(
          WEBC,
          Envelope.builder()
              .id(MessageId.next())
              .type(MessageType.RESPONSE)
              .from(WEBC)
              .to(DC)
              .timestamp(OffsetDateTime.now())
              .correlationId(a.envelope().id())
              .payload(Json.object())
              .build());
      transport.ack(a);
      Claim b = transport.claim(WEBC, "t", java.time.Duration.ofMinutes(1)).orElseThrow();
      transport.nack(b, "test", 1);
    }
  }

  private static Envelope message(String id) {
    return Envelope.builder()
        .id(MessageId.of(id))
        .type(MessageType.REQUEST)
        .from(DC)
        .to(WEBC)
        .timestamp(OffsetDateTime.now())
        .payload(Json.object().put("command", "x"))
        .build();
  }

  /** Octal mode to example path, for every directory (or file) under and including the root. */
  private static Map<String, String> modes(Path root, boolean directories) throws IOException {
    Map<String, String> modes = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) == directories) {
          modes.putIfAbsent(mode(p), root.relativize(p).toString());
        }
      }
    }
    assertThat(modes).isNotEmpty();
    return modes;
  }

  private static String mode(Path p) throws IOException {
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    return Integer.toOctalString(mode & 07777);
  }
}
