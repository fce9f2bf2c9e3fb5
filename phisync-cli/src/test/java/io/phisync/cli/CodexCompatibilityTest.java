package io.phisync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.phisync.protocol.Envelope;
import io.phisync.protocol.EnvelopeCodec;
import io.phisync.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A codex-style requester, a plain sh script, writes req-&lt;guid&gt;.json straight into the inbox
 * (not atomically, CRLF, 7-digit fractions); phisync in other processes receives and replies; the
 * script's side reads resp-&lt;guid&gt;.json as the codex does.
 */
@DisabledOnOs(OS.WINDOWS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CodexCompatibilityTest {
  @TempDir Path root;

  @Test
  void codexRequest_isReceivedAndAnswered_throughTheCli() throws Exception {
    assertThat(Cli.run("--root", root.toString(), "init").exitCode()).isZero();
    String guid = UUID.randomUUID().toString();
    Path script = root.resolve("request-research.sh");
    Files.writeString(
        script,
        String.join(
            "\n",
            "#!/bin/sh",
            "# As the codex's Request-Research: write the request straight into webc's inbox.",
            "set -e",
            "f=\"$1/webc/inbox/req-$2.json\"",
            "printf '{\\r\\n' > \"$f\"",
            "printf '    \"id\":  \"%s\",\\r\\n' \"$2\" >> \"$f\"",
            "printf '    \"timestamp\":  \"2025-11-15T10:30:00.1234567-05:00\",\\r\\n' >> \"$f\"",
            "printf '    \"from\":  \"dc\",\\r\\n' >> \"$f\"",
            "printf '    \"to\":  \"webc\",\\r\\n' >> \"$f\"",
            "printf '    \"type\":  \"request\",\\r\\n' >> \"$f\"",
            "printf '    \"payload\":  {\\r\\n' >> \"$f\"",
            "printf '        \"command\":  \"research\",\\r\\n' >> \"$f\"",
            "printf '        \"topic\":  \"OAuth2 best practices 2025\",\\r\\n' >> \"$f\"",
            "printf '        \"depth\":  \"comprehensive\"\\r\\n' >> \"$f\"",
            "printf '    }\\r\\n' >> \"$f\"",
            "printf '}\\r\\n' >> \"$f\"",
            ""));
    Process writer =
        new ProcessBuilder("sh", script.toString(), root.toString(), guid)
            .redirectErrorStream(true)
            .start();
    assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.exitValue()).as(new String(writer.getInputStream().readAllBytes())).isZero();
    Path request = root.resolve("webc/inbox/req-" + guid + ".json");
    assertThat(Files.readString(request)).contains("\r\n").contains(".1234567-05:00");

    Cli.Result received =
        Cli.runInChildJvm(root, "--root", root.toString(), "recv", "--agent", "webc");
    assertThat(received.exitCode()).as(received.err()).isZero();
    Envelope envelope = EnvelopeCodec.decode(received.out());
    assertThat(envelope.id()).isEqualTo(guid);
    assertThat(envelope.command()).contains("research");
    assertThat(envelope.timestamp()).hasToString("2025-11-15T10:30:00.123456700-05:00");

    Cli.Result replied =
        Cli.runInChildJvm(
            root,
            "--root",
            root.toString(),
            "reply",
            "--agent",
            "webc",
            "--id",
            guid,
            "--payload",
            "{\"sources\":[\"rfc6749\",\"rfc9700\"],\"summary\":\"use PKCE\"}");
    assertThat(replied.exitCode()).as(replied.err()).isZero();

    // The codex requester: Get-Content resp-<guid>.json | ConvertFrom-Json; $response.payload.
    Path responseFile = root.resolve("webc/outbox/resp-" + guid + ".json");
    JsonNode response = Json.parse(Files.readString(responseFile, StandardCharsets.UTF_8));
    assertThat(response.get("correlationId").asString()).isEqualTo(guid);
    assertThat(response.get("type").asString()).isEqualTo("response");
    assertThat(response.get("to").asString()).isEqualTo("dc");
    assertThat(response.get("payload").get("summary").asString()).isEqualTo("use PKCE");
    assertThat(response.get("payload").get("sources")).hasSize(2);
    assertThat(request).doesNotExist();
    try (Stream<Path> processed = Files.walk(root.resolve("webc/inbox/processed"))) {
      assertThat(processed.map(p -> p.getFileName().toString()).toList())
          .contains("req-" + guid + ".json");
    }
    assertThat(List.of(received.err(), replied.err())).allMatch(String::isEmpty);
  }
}
