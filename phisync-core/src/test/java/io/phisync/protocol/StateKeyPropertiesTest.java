package io.phisync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class StateKeyPropertiesTest {
  @Provide
  Arbitrary<String> validKeys() {
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withChars("abcdefghijklmnopqrstuvwxyz0123456789_-")
            .ofMinLength(1)
            .ofMaxLength(20)
            .filter(s -> Character.isLetterOrDigit(s.charAt(0)))
            .filter(
                s ->
                    !List.of("con", "prn", "aux", "nul").contains(s)
                        && !s.matches("(com|lpt)[1-9]"));
    return segment.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("/", l));
  }

  @Property(tries = 1000)
  void validKeys_areAccepted_andStayBelowTheirBase(@ForAll("validKeys") String value) {
    StateKey key = StateKey.of(value);

    Path base = Path.of("/base");
    assertThat(base.resolve(key.value() + ".revs").normalize().startsWith(base)).isTrue();
    assertThat(key.value()).isEqualTo(value).doesNotContain("..").doesNotContain(".");
  }

  @Property(tries = 1000)
  void anyKeyAccepted_isSafeAsAPathBelowTheBase(@ForAll String value) {
    StateKey key;
    try {
      key = StateKey.of(value);
    } catch (InvalidNameException rejected) {
      assertThat(rejected.getMessage()).contains("invalid key");
      return;
    }
    assertThat(key.value()).matches("[a-z0-9_/-]+").doesNotStartWith("/").doesNotEndWith("/");
  }

  @Property(tries = 200)
  void dotsUppercaseAndEmptySegments_areRefused(@ForAll("validKeys") String value) {
    for (String bad :
        List.of(
            value + ".json",
            value.toUpperCase() + "X",
            value + "//x",
            "/" + value,
            ".." + "/" + value)) {
      if (!bad.equals(value)) {
        assertThatThrownBy(() -> StateKey.of(bad)).isInstanceOf(InvalidNameException.class);
      }
    }
  }
}
