package io.phisync.transport.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.phisync.spi.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AtomicFilesTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void createNew_writesTheWholeFileAndLeavesNoTemp(Durability durability) throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path target = dir.resolve("req-a.json");

    files.createNew(target, bytes("{\"id\":\"a\"}"));

    assertThat(target).hasContent("{\"id\":\"a\"}");
    assertThat(names()).containsExactly("req-a.json");
    assertThat(files.durability()).isEqualTo(durability);
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void createNew_existingTarget_throwsAndKeepsTheOldContent(Durability durability)
      throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path target = dir.resolve("req-a.json");
    files.createNew(target, bytes("old"));

    assertThatThrownBy(() -> files.createNew(target, bytes("new")))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(target).hasContent("old");
    assertThat(names()).containsExactly("req-a.json");
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void replace_swapsTheWholeContent(Durability durability) throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path target = dir.resolve("state.json");
    files.replace(target, bytes("one"));
    files.replace(target, bytes("two"));

    assertThat(target).hasContent("two");
    assertThat(names()).containsExactly("state.json");
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void move_missingSource_throwsNoSuchFile(Durability durability) throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path source = dir.resolve("a.json");
    files.createNew(source, bytes("x"));
    files.move(source, dir.resolve("b.json"));

    assertThatThrownBy(() -> files.move(source, dir.resolve("c.json")))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(names()).containsExactly("b.json");
  }

  @Test
  void tempNames_areSkippedByReaders() {
    assertThat(AtomicFiles.isTemp(".req-a.json.1f2e.tmp")).isTrue();
    assertThat(FileLayout.isMessageFile(".req-a.json.1f2e.tmp")).isFalse();
    assertThat(FileLayout.isMessageFile("req-a.json")).isTrue();
  }

  @Test
  void createNewAhead_makesASpareFromTheSecondWriteOn_andUsesItForTheNext() throws Exception {
    AtomicFiles files = new AtomicFiles(Durability.FAST);
    Path inbox = Files.createDirectory(dir.resolve("inbox"));
    Path spares = dir.resolve(".spares");

    files.createNewAhead(inbox.resolve("a.json"), bytes("A"), spares);
    assertThat(spares).doesNotExist(); // One write (a CLI's send): no spare.

    files.createNewAhead(inbox.resolve("b.json"), bytes("B"), spares);
    awaitSpares(spares, 2); // Made on the refill thread.
    assertThat(list(inbox)).containsExactly("a.json", "b.json"); // The reader never sees a spare.
    List<String> made = list(spares);
    assertThat(made).allSatisfy(name -> assertThat(name).startsWith(".spare.").endsWith(".tmp"));
    assertThat(made).allSatisfy(name -> assertThat(AtomicFiles.isTemp(name)).isTrue());

    files.createNewAhead(inbox.resolve("c.json"), bytes("C"), spares);
    assertThat(list(inbox)).containsExactly("a.json", "b.json", "c.json");
    awaitSpares(spares, 2);
    assertThat(list(spares)).containsAnyElementsOf(made).isNotEqualTo(made); // One used, one new.
    assertThat(Files.readString(inbox.resolve("c.json"))).isEqualTo("C");
    assertThat(Files.readString(inbox.resolve("b.json"))).isEqualTo("B");

    files.close();
    assertThat(list(spares)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void prepareAhead_writesOutOfSight_publishLinksIt_closeDropsTheRest(Durability durability)
      throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path inbox = Files.createDirectory(dir.resolve("inbox"));
    Path spares = dir.resolve(".spares");
    writeTwice(files, inbox, spares);
    awaitSpares(spares, 2);

    try (AtomicFiles.Pending kept =
            files.prepareAhead(inbox.resolve("c.json"), bytes("C"), spares);
        AtomicFiles.Pending dropped =
            files.prepareAhead(inbox.resolve("d.json"), bytes("D"), spares)) {
      assertThat(list(inbox)).as("prepared, not published").containsExactly("a.json", "b.json");
      kept.publish(true);
      assertThat(list(inbox)).containsExactly("a.json", "b.json", "c.json");
      assertThatThrownBy(() -> kept.publish(true)).isInstanceOf(IllegalStateException.class);
      assertThat(dropped).isNotNull();
    }

    assertThat(Files.readString(inbox.resolve("c.json"))).isEqualTo("C");
    assertThat(list(inbox))
        .as("the dropped one left nothing")
        .containsExactly("a.json", "b.json", "c.json");
    files.close();
    assertThat(list(spares)).as("no written spare is left").isEmpty();
  }

  @Test
  void prepareAhead_withoutASpare_leavesNoTempInTheTargetDirectoryWhenDropped() throws Exception {
    AtomicFiles files = new AtomicFiles(Durability.DURABLE);
    Path inbox = Files.createDirectory(dir.resolve("inbox"));
    Path spares = dir.resolve(".spares");

    // The first write ahead of a transport has no spare: its temp file is beside its target.
    try (AtomicFiles.Pending dropped =
        files.prepareAhead(inbox.resolve("a.json"), bytes("A"), spares)) {
      assertThat(list(inbox))
          .singleElement()
          .satisfies(n -> assertThat(AtomicFiles.isTemp(n)).isTrue());
      assertThat(dropped).isNotNull();
    }

    assertThat(list(inbox)).isEmpty();
    files.close();
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void prepareAhead_fasterThanTheRefills_writesItsTempAmongTheSpares_notBesideItsTarget(
      Durability durability) throws Exception {
    AtomicFiles files = new AtomicFiles(durability);
    Path inbox = Files.createDirectory(dir.resolve("inbox"));
    Path spares = dir.resolve(".spares");
    // One write: the next one is a second, yet no refill has been asked for (refills start after
    // the second write), so none is ready, as for a writer that outruns them.
    files.createNewAhead(inbox.resolve("a.json"), bytes("A"), spares);

    try (AtomicFiles.Pending next =
        files.prepareAhead(inbox.resolve("b.json"), bytes("B"), spares)) {
      assertThat(list(inbox)).as("the reader's directory sees no temp").containsExactly("a.json");
      assertThat(list(spares))
          .singleElement()
          .satisfies(n -> assertThat(AtomicFiles.isTemp(n)).isTrue());
      next.publish(true);
    }

    assertThat(list(inbox)).containsExactly("a.json", "b.json");
    assertThat(Files.readString(inbox.resolve("b.json"))).isEqualTo("B");
    files.close();
    awaitSpares(spares, 0); // The refill after the second write ends; close removes what it made.
  }

  @Test
  void createNewAhead_writesAsUsual_whenItsSpareWasRemovedUnderIt() throws Exception {
    AtomicFiles files = new AtomicFiles(Durability.DURABLE);
    Path spares = dir.resolve(".spares");
    writeTwice(files, dir, spares);
    awaitSpares(spares, 2);
    for (String name : list(spares)) {
      Files.delete(spares.resolve(name)); // An operator's clean-up of temp files.
    }

    files.createNewAhead(dir.resolve("c.json"), bytes("C"), spares);
    files.createNewAhead(dir.resolve("d.json"), bytes("D"), spares);

    assertThat(Files.readString(dir.resolve("c.json"))).isEqualTo("C");
    assertThat(Files.readString(dir.resolve("d.json"))).isEqualTo("D");
    awaitSpares(spares, 2); // Spares again after the ones that were removed.
    files.close();
    assertThat(names()).containsExactly(".spares", "a.json", "b.json", "c.json", "d.json");
  }

  @Test
  void createNewAhead_neverReplaces_andKeepsNoTempOfTheRefusedWrite() throws Exception {
    AtomicFiles files = new AtomicFiles(Durability.FAST);
    Path spares = dir.resolve(".spares");
    writeTwice(files, dir, spares);

    assertThatThrownBy(() -> files.createNewAhead(dir.resolve("a.json"), bytes("other"), spares))
        .isInstanceOf(FileAlreadyExistsException.class);

    assertThat(Files.readString(dir.resolve("a.json"))).isEqualTo("A");
    files.close();
    assertThat(names()).containsExactly(".spares", "a.json", "b.json");
    assertThat(list(spares)).isEmpty();
  }

  @Test
  void createNewAhead_intoAMissingDirectory_failsAsCreateNewDoes() throws Exception {
    AtomicFiles files = new AtomicFiles(Durability.FAST);
    Path spares = dir.resolve(".spares");
    writeTwice(files, dir, spares);

    assertThatThrownBy(
            () -> files.createNewAhead(dir.resolve("gone").resolve("c.json"), bytes("C"), spares))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
    files.createNewAhead(dir.resolve("d.json"), bytes("D"), spares);

    assertThat(Files.readString(dir.resolve("d.json"))).isEqualTo("D");
    files.close();
    assertThat(list(spares)).isEmpty();
  }

  @Test
  void createNewAhead_neverBringsBackARootRemovedUnderIt() throws Exception {
    AtomicFiles files = new AtomicFiles(Durability.FAST);
    Path root = Files.createDirectory(dir.resolve("root"));
    Path spares = root.resolve(".spares");
    writeTwice(files, root, spares);
    awaitSpares(spares, 2);
    try (Stream<Path> tree = Files.walk(root)) { // A test's clean-up of its temp directory.
      tree.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }

    files.createNewAhead(dir.resolve("c.json"), bytes("C"), spares); // Its spare is gone.
    files.createNewAhead(dir.resolve("d.json"), bytes("D"), spares); // So is the other one.
    files.close(); // Waits for the refill that the writes started.

    assertThat(Files.readString(dir.resolve("d.json"))).isEqualTo("D");
    assertThat(root).doesNotExist();
    assertThat(names()).containsExactly("c.json", "d.json");
  }

  @Test
  void createNewAhead_removesTheSparesACrashLeft_andNoOtherProcesses() throws Exception {
    Path spares = Files.createDirectory(dir.resolve(".spares"));
    Path crashed = Files.createFile(spares.resolve(".spare.0dead.tmp"));
    Files.setLastModifiedTime(
        crashed,
        java.nio.file.attribute.FileTime.from(
            java.time.Instant.now().minus(AtomicFiles.STALE_SPARE).minusSeconds(60)));
    Path live = Files.createFile(spares.resolve(".spare.0a11e.tmp")); // Another process's.
    Path foreign = Files.createFile(spares.resolve("notes.txt"));
    Files.setLastModifiedTime(foreign, Files.getLastModifiedTime(crashed));
    AtomicFiles files = new AtomicFiles(Durability.FAST);

    writeTwice(files, dir, spares);
    files.close(); // Waits for the refill, which sweeps first.

    assertThat(list(spares)).containsExactlyInAnyOrder(".spare.0a11e.tmp", "notes.txt");
    assertThat(live).exists();
  }

  /** Writes a.json and b.json into {@code into}: from the second write on, spares are made. */
  private static void writeTwice(AtomicFiles files, Path into, Path spares) throws Exception {
    files.createNewAhead(into.resolve("a.json"), bytes("A"), spares);
    files.createNewAhead(into.resolve("b.json"), bytes("B"), spares);
  }

  private static void awaitSpares(Path spares, int count) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> Files.isDirectory(spares) && list(spares).size() == count);
  }

  private static List<String> list(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void syncDirectories_forcesBoth_andReportsTheOneItCouldNotOpen() throws Exception {
    AtomicFiles files = new AtomicFiles(Durability.DURABLE);
    Path first = Files.createDirectory(dir.resolve("first"));
    Path second = Files.createDirectory(dir.resolve("second"));
    files.syncDirectories(first, second);
    files.syncDirectories(first, first);

    // The second is forced on a helper thread: its failure still reaches the caller.
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> files.syncDirectories(first, missing))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(() -> files.syncDirectories(missing, second))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }
}
