package io.phisync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The package rules of DESIGN.md section 4, checked on the compiled main classes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.phisync");

  @Test
  void imported_theWholeCore() {
    // Guards every rule below against passing vacuously on an empty import.
    assertThat(MAIN.stream().map(JavaClass::getPackageName))
        .contains(
            "io.phisync",
            "io.phisync.protocol",
            "io.phisync.spi",
            "io.phisync.bus",
            "io.phisync.transport.file",
            "io.phisync.clock",
            "io.phisync.crdt");
  }

  @Test
  void packages_haveNoCycles() {
    slices().matching("io.phisync.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void protocol_dependsOnNoOtherPhiSyncPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.phisync.protocol..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.phisync",
            "io.phisync.spi..",
            "io.phisync.bus..",
            "io.phisync.transport..",
            "io.phisync.internal..")
        .check(MAIN);
  }

  @Test
  void spi_dependsOnlyOnProtocol() {
    noClasses()
        .that()
        .resideInAPackage("io.phisync.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.phisync", "io.phisync.bus..", "io.phisync.transport..", "io.phisync.internal..")
        .check(MAIN);
  }

  @Test
  void bus_dependsOnlyOnSpiAndProtocol() {
    noClasses()
        .that()
        .resideInAPackage("io.phisync.bus..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.phisync", "io.phisync.transport..", "io.phisync.internal..")
        .check(MAIN);
  }

  @Test
  void events_dependsOnlyOnSpiAndProtocol() {
    noClasses()
        .that()
        .resideInAPackage("io.phisync.events..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.phisync",
            "io.phisync.bus..",
            "io.phisync.transport..",
            "io.phisync.internal..",
            "io.phisync.state..",
            "io.phisync.lock..",
            "io.phisync.stream..",
            "io.phisync.agent..")
        .check(MAIN);
  }

  @Test
  void stateLocksAndStreams_dependOnlyOnSpiAndProtocol() {
    noClasses()
        .that()
        .resideInAnyPackage("io.phisync.state..", "io.phisync.lock..", "io.phisync.stream..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.phisync",
            "io.phisync.bus..",
            "io.phisync.transport..",
            "io.phisync.internal..",
            "io.phisync.events..",
            "io.phisync.agent..")
        .check(MAIN);
  }

  @Test
  void agent_dependsOnlyOnBusSpiAndProtocol() {
    noClasses()
        .that()
        .resideInAPackage("io.phisync.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.phisync", "io.phisync.transport..", "io.phisync.internal..")
        .check(MAIN);
  }

  @Test
  void approval_dependsOnlyOnSpiAndProtocol() {
    noClasses()
        .that()
        .resideInAPackage("io.phisync.approval..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.phisync",
            "io.phisync.bus..",
            "io.phisync.transport..",
            "io.phisync.internal..",
            "io.phisync.workflow..",
            "io.phisync.agent..")
        .check(MAIN);
  }

  @Test
  void fileTransport_doesNotDependOnTheBus() {
    noClasses()
        .that()
        .resideInAPackage("io.phisync.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.phisync", "io.phisync.bus..")
        .check(MAIN);
  }

  @Test
  void clock_dependsOnNoOtherPhiSyncPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.phisync.clock..")
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "are in another PhiSync package",
                c ->
                    c.getPackageName().startsWith("io.phisync")
                        && !c.getPackageName().startsWith("io.phisync.clock")))
        .check(MAIN);
  }

  @Test
  void crdt_dependsOnNothingButTheClocks() {
    // DESIGN.md: crdt depends on nothing. The clocks are as pure (JDK only, see above); the JSON
    // codec (crdt.json) and the replica store (crdt.store) are separate packages on top.
    noClasses()
        .that()
        .resideInAPackage("io.phisync.crdt")
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "are in a PhiSync package other than crdt and clock",
                c ->
                    c.getPackageName().startsWith("io.phisync")
                        && !c.getPackageName().equals("io.phisync.crdt")
                        && !c.getPackageName().equals("io.phisync.clock")))
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("tools.jackson..", "java.nio..", "java.io..")
        .check(MAIN);
  }

  @Test
  void internal_hasNoPublicTypes() {
    classes()
        .that()
        .resideInAPackage("io.phisync.internal..")
        .and()
        .doNotHaveSimpleName("package-info")
        .should()
        .notBePublic()
        .allowEmptyShould(true)
        .check(MAIN);
  }

  @Test
  void publicApi_doesNotExposeInternalTypes() {
    List<String> leaks =
        MAIN.stream()
            .filter(c -> !c.getPackageName().startsWith("io.phisync.internal"))
            .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
            .flatMap(
                c ->
                    c.getMethods().stream()
                        .filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC))
                        .filter(
                            m ->
                                m.getRawReturnType()
                                        .getPackageName()
                                        .startsWith("io.phisync.internal")
                                    || m.getRawParameterTypes().stream()
                                        .anyMatch(
                                            p ->
                                                p.getPackageName()
                                                    .startsWith("io.phisync.internal")))
                        .map(m -> m.getFullName()))
            .toList();
    assertThat(leaks).isEmpty();
  }

  @Test
  void mainCode_doesNotUseStandardStreams() {
    GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.check(MAIN);
  }

  @Test
  void everyPackage_isNullMarked() {
    Set<String> packages = new TreeSet<>();
    MAIN.forEach(c -> packages.add(c.getPackageName()));
    List<String> unmarked =
        packages.stream()
            .filter(p -> !MAIN.getPackage(p).isAnnotatedWith(NullMarked.class))
            .toList();
    assertThat(packages).hasSizeGreaterThanOrEqualTo(5);
    assertThat(unmarked).as("packages without @NullMarked package-info").isEmpty();
  }
}
