package io.phisync.testing.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One of the given directories made unwritable for a while, then restored (in a finally block).
 * {@code chmod a-w} where that binds the agents; as root, which ignores modes, {@code chattr +i}
 * (immutable) where the file system and capabilities allow; otherwise the fault reports that it
 * could not take effect.
 */
public final class UnwritableDirectory implements Fault {
  private final List<Path> candidates;
  private final Duration duration;

  public UnwritableDirectory(List<Path> candidates, Duration duration) {
    this.candidates = candidates;
    this.duration = duration;
  }

  @Override
  public String name() {
    return "directory unwritable for " + duration.toMillis() + " ms";
  }

  @Override
  public boolean inject(Agents agents, Random random) throws Exception {
    Path dir = candidates.get(random.nextInt(candidates.size()));
    Set<PosixFilePermission> before = Files.getPosixFilePermissions(dir);
    boolean immutable = false;
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
      if (isWritable(dir)) {
        immutable = run("chattr", "+i", dir.toString()) && !isWritable(dir);
        if (!immutable) {
          return false;
        }
      }
      Thread.sleep(duration.toMillis()); // The fault is the outage itself.
      return true;
    } finally {
      if (immutable) {
        run("chattr", "-i", dir.toString());
      }
      Files.setPosixFilePermissions(dir, before);
    }
  }

  private static boolean isWritable(Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, ".probe", ".tmp"));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
