package io.phisync.mcp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MCP server stands on the library's public API and never touches the standard streams. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class McpArchitectureTest {
  private static final JavaClasses MCP =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.phisync.mcp");

  @Test
  void imported_theServer() {
    assertThat(MCP.contain(PhiSyncMcpServer.class)).isTrue();
  }

  @Test
  void mcp_usesNeitherTheFileTransportNorInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.phisync.transport..", "io.phisync.internal..")
        .check(MCP);
  }

  @Test
  void mcp_neverTouchesTheStandardStreams() {
    // stdout is the protocol's; the caller hands the streams in.
    noClasses().should(GeneralCodingRules.ACCESS_STANDARD_STREAMS).check(MCP);
  }
}
