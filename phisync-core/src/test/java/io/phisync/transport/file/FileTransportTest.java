package io.phisync.transport.file;

import io.phisync.spi.Durability;
import io.phisync.spi.Transport;
import io.phisync.spi.TransportContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The file transport passes the transport contract in both write modes. */
class FileTransportTest {

  static FileTransport open(Path root, Durability durability, Clock clock) {
    return FileTransport.open(
        FileTransportConfig.builder(root).durability(durability).clock(clock).build());
  }

  @Nested
  class Durable extends TransportContract {
    @TempDir Path root;

    @Override
    protected Transport createTransport(Clock clock) {
      return open(root, Durability.DURABLE, clock);
    }
  }

  @Nested
  class Fast extends TransportContract {
    @TempDir Path root;

    @Override
    protected Transport createTransport(Clock clock) {
      return open(root, Durability.FAST, clock);
    }
  }
}
