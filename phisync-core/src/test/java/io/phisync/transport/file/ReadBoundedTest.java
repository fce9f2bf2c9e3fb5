package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.protocol.EnvelopeCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The claim's read of a file whose size an lstat gave just before: one read, the same answer. */
@Timeout(30)
class ReadBoundedTest {
  @TempDir Path dir;

  @Test
  void readsTheWholeFile_ofTheSizeTheLstatGave() throws IOException {
    byte[] content = bytes(300, 'a');
    Path file = write("m.json", content);

    assertThat(FileTransport.readBounded(file, 300)).isEqualTo(content);
  }

  @Test
  void readsAnEmptyFile_asEmpty() throws IOException {
    assertThat(FileTransport.readBounded(write("e.json", new byte[0]), 0)).isEmpty();
  }

  @Test
  void aFileThatGrewSinceTheLstat_isReadToItsEnd() throws IOException {
    byte[] content = bytes(20_000, 'g');
    Path file = write("g.json", content);

    assertThat(FileTransport.readBounded(file, 10)).isEqualTo(content);
  }

  @Test
  void aFileThatShrankSinceTheLstat_isReadAsItIs() throws IOException {
    byte[] content = bytes(50, 's');
    Path file = write("s.json", content);

    assertThat(FileTransport.readBounded(file, 400)).isEqualTo(content);
  }

  @Test
  void aFileThatGrewPastTheLimit_isReadToOneByteOverIt() throws IOException {
    Path file = write("big.json", bytes(EnvelopeCodec.MAX_MESSAGE_BYTES + 5_000, 'b'));

    byte[] read = FileTransport.readBounded(file, 100);

    assertThat(read).hasSize(EnvelopeCodec.MAX_MESSAGE_BYTES + 1);
  }

  @Test
  void aSymbolicLink_isRefused_notFollowed() throws IOException {
    Path target = write("target.json", bytes(10, 't'));
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);

    assertThatThrownBy(() -> FileTransport.readBounded(link, 10)).isInstanceOf(IOException.class);
  }

  private Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private static byte[] bytes(int length, char c) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) c);
    return out;
  }
}
