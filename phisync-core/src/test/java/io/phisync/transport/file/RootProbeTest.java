package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.protocol.AgentName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class RootProbeTest {
  @TempDir Path dir;

  @Test
  void check_onALocalDisk_passesAndLeavesNothingBehind() throws IOException {
    RootProbe.check(dir);

    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void initialize_probesTheRoot_andARootThatIsAFileIsAClearError() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    FileTransport transport =
        FileTransport.open(FileTransportConfig.builder(notADirectory.resolve("root")).build());

    assertThatThrownBy(() -> transport.initialize(List.of(AgentName.of("dc"))))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("could not create");
  }
}
