package io.phisync.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.PhiSync;
import io.phisync.protocol.AgentName;
import io.phisync.protocol.TopicName;
import io.phisync.spi.Durability;
import io.phisync.spi.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Codex-style event files dropped straight into shared/events/ by foreign publishers. */
@Timeout(30)
class ForeignEventsTest {
  private static final String CODEX =
      "{\r\n  \"eventType\": \"vulnerability_found\",\r\n  \"publisher\": \"kalic\",\r\n"
          + "  \"severity\": \"high\",\r\n  \"data\": {\"type\": \"SQL_INJECTION\", \"line\": 42}\r\n}";

  @TempDir Path root;
  private final MutableClock clock = MutableClock.startingNow();
  private PhiSync phi;
  private Path drop;

  @BeforeEach
  void open() {
    phi = PhiSync.builder(root).durability(Durability.FAST).clock(clock).open();
    phi.init(List.of(AgentName.of("dc")));
    drop = root.resolve("shared/events");
  }

  @AfterEach
  void close() {
    phi.close();
  }

  private List<Event> catchUp() {
    List<Event> got = new ArrayList<>();
    phi.events().catchUp(AgentName.of("dc"), AgentName.of("default"), EventFilter.all(), got::add);
    return got;
  }

  private static byte[] withBom(byte[] bom, byte[] body) {
    byte[] out = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, out, 0, bom.length);
    System.arraycopy(body, 0, out, bom.length, body.length);
    return out;
  }

  @Test
  void codexFiles_inUtf8BomAndUtf16_areIngestedOnce_withIdTimestampAndTopicFilledIn()
      throws IOException {
    Files.write(
        drop.resolve("alert-1.json"),
        withBom(
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
            CODEX.getBytes(StandardCharsets.UTF_8)));
    Files.write(
        drop.resolve("alert-2.json"),
        withBom(
            new byte[] {(byte) 0xFF, (byte) 0xFE},
            CODEX.replace("42", "43").getBytes(StandardCharsets.UTF_16LE)));
    Files.writeString(
        drop.resolve("alert-3.json"),
        "{\"id\":\"6f1c2d3e-aaaa-bbbb-cccc-000000000001\",\"eventType\":\"deploy\","
            + "\"topic\":\"builds\",\"timestamp\":\"2025-11-15T10:30:00.1234567-05:00\"}");

    List<Event> got = catchUp();

    assertThat(got).hasSize(3);
    assertThat(got)
        .filteredOn(e -> e.topic().equals(TopicName.DEFAULT))
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.eventType()).isEqualTo("vulnerability_found");
              assertThat(e.level()).isEqualTo(Severity.HIGH);
              assertThat(e.id()).startsWith("f-");
            });
    assertThat(got)
        .filteredOn(e -> e.topic().value().equals("builds"))
        .singleElement()
        .satisfies(e -> assertThat(e.id()).isEqualTo("6f1c2d3e-aaaa-bbbb-cccc-000000000001"));
    try (var left = Files.list(drop)) {
      assertThat(left.filter(f -> f.getFileName().toString().endsWith(".json")))
          .as("drop directory emptied")
          .isEmpty();
    }
    assertThat(catchUp()).isEmpty();
    assertThat(phi.bus().deadLetters().list()).isEmpty();
  }

  @Test
  void halfWrittenFile_waitsForItsWriter_thenGarbageIsDeadLetteredAfterTheGrace()
      throws IOException {
    Path half = drop.resolve("half.json");
    Files.writeString(half, CODEX.substring(0, 40));
    Path junk = drop.resolve("junk.json");
    Files.writeString(junk, "not json at all");

    assertThat(catchUp()).isEmpty();
    assertThat(half).exists();
    assertThat(phi.bus().deadLetters().list()).isEmpty();

    Files.writeString(half, CODEX); // The writer finishes.
    assertThat(catchUp())
        .singleElement()
        .satisfies(e -> assertThat(e.eventType()).isEqualTo("vulnerability_found"));

    clock.advance(Duration.ofSeconds(10));
    assertThat(catchUp()).isEmpty();
    assertThat(junk).doesNotExist();
    assertThat(phi.bus().deadLetters().list())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).startsWith("malformed event");
              assertThat(d.source()).isEqualTo("shared/events/junk.json");
            });
  }

  @Test
  void workingFileOfADeadIngester_isTakenOverAfterAMinute_andAppendedOnce() throws IOException {
    // An ingester claimed it and died before appending.
    Path working = drop.resolve(".lost.json.1234abcd.ingest");
    Files.writeString(working, CODEX);
    java.nio.file.attribute.FileTime claimed =
        java.nio.file.attribute.FileTime.from(clock.instant());
    Files.setLastModifiedTime(working, claimed);
    assertThat(catchUp()).as("its ingester may still be at work").isEmpty();

    clock.advance(Duration.ofMinutes(2));
    assertThat(catchUp())
        .singleElement()
        .satisfies(e -> assertThat(e.eventType()).isEqualTo("vulnerability_found"));
    assertThat(working).doesNotExist();

    // One that died after appending: taken over, but not appended a second time.
    Files.writeString(working, CODEX);
    Files.setLastModifiedTime(working, java.nio.file.attribute.FileTime.from(clock.instant()));
    clock.advance(Duration.ofMinutes(2));
    assertThat(catchUp()).isEmpty();
    assertThat(working).doesNotExist();
    assertThat(phi.events().list(EventFilter.all(), null, 10)).hasSize(1);
  }
}
