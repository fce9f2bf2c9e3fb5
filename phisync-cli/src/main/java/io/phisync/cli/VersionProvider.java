package io.phisync.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {
      "phisync " + (version == null ? "(development build)" : version),
      "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name")
    };
  }
}
