package io.phisync.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CLI stands on the library's public API only (DESIGN.md section 4). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliArchitectureTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.phisync.cli");

  @Test
  void imported_theCli() {
    assertThat(CLI.contain(Main.class)).isTrue();
  }

  @Test
  void cli_usesNeitherTheFileTransportNorInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.phisync.transport..", "io.phisync.internal..")
        .check(CLI);
  }

  @Test
  void onlyMain_touchesTheStandardStreams() {
    noClasses()
        .that()
        .doNotHaveSimpleName("Main")
        .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
        .check(CLI);
  }
}
