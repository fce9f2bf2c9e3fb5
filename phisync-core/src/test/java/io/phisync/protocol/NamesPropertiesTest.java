package io.phisync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The naming rules of file protocol v1, for agent names and message ids alike. */
class NamesPropertiesTest {
  private static final Set<String> WINDOWS_RESERVED =
      Set.of(
          "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
          "com8", "com9", "com0", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
          "lpt8", "lpt9");

  static boolean notReserved(String name) {
    return !WINDOWS_RESERVED.contains(name.toLowerCase(Locale.ROOT));
  }

  @Property
  void agentName_valid_isAcceptedAsIs(@ForAll("validAgentNames") String name) {
    assertThat(AgentName.of(name).value()).isEqualTo(name);
  }

  @Property
  void messageId_valid_isAcceptedAsIs(@ForAll("validIds") String id) {
    assertThat(MessageId.of(id).value()).isEqualTo(id);
  }

  @Property
  void agentName_withForbiddenCharacter_isRejectedNamingTheRule(
      @ForAll("validAgentNames") String name,
      @ForAll("forbiddenInNames") String bad,
      @ForAll @IntRange(min = 0, max = 32) int at) {
    assertRejected(AgentName::of, insert(name, bad, at), "agent name is 1 to 32 characters");
  }

  @Property
  void messageId_withForbiddenCharacter_isRejectedNamingTheRule(
      @ForAll("validIds") String id,
      @ForAll("forbiddenInNames") String bad,
      @ForAll @IntRange(min = 0, max = 64) int at) {
    assertRejected(MessageId::of, insert(id, bad, at), "message id is 1 to 64 characters");
  }

  @Property
  void agentName_withUppercase_isRejected(
      @ForAll("validAgentNames") String name, @ForAll @IntRange(min = 0, max = 31) int at) {
    int i = Math.min(at, name.length() - 1);
    String upper =
        name.substring(0, i) + Character.toUpperCase(name.charAt(i)) + name.substring(i + 1);
    if (!upper.equals(name)) {
      assertRejected(AgentName::of, upper, "lowercase");
    }
  }

  @Property
  void agentName_startingWithDigitDashOrUnderscore_isRejected(
      @ForAll("validAgentNames") String name, @ForAll("nonLetterStarts") char first) {
    assertRejected(AgentName::of, first + name.substring(1), "a lowercase letter first");
  }

  @Property
  void agentName_overThirtyTwo_isRejected(@ForAll @IntRange(min = 33, max = 200) int length) {
    assertRejected(AgentName::of, "a".repeat(length), "1 to 32 characters");
    assertThat(AgentName.of("a".repeat(32)).value()).hasSize(32);
  }

  @Property
  void messageId_overSixtyFour_isRejected(@ForAll @IntRange(min = 65, max = 300) int length) {
    assertRejected(MessageId::of, "A".repeat(length), "1 to 64 characters");
    assertThat(MessageId.of("A".repeat(64)).value()).hasSize(64);
  }

  @Property
  void windowsReservedNames_inAnyCase_areRejectedForBoth(@ForAll("reservedInAnyCase") String name) {
    assertRejected(MessageId::of, name, "reserved on Windows");
    if (name.equals(name.toLowerCase(Locale.ROOT))) {
      assertRejected(AgentName::of, name, "reserved on Windows");
    } else {
      assertRejected(AgentName::of, name, "agent name");
    }
  }

  @Property(tries = 50)
  void pathTraversal_isRejectedForBoth(@ForAll("traversals") String name) {
    assertRejected(AgentName::of, name, "agent name");
    assertRejected(MessageId::of, name, "message id");
  }

  @Property(tries = 10)
  void empty_isRejectedForBoth() {
    assertRejected(AgentName::of, "", "agent name");
    assertRejected(MessageId::of, "", "message id");
  }

  @Property(tries = 50)
  void nearReservedNames_areAccepted(@ForAll("nearReserved") String name) {
    assertThat(MessageId.of(name).value()).isEqualTo(name);
    assertThat(AgentName.of(name.toLowerCase(Locale.ROOT)).value())
        .isEqualTo(name.toLowerCase(Locale.ROOT));
  }

  private static void assertRejected(Function<String, ?> parse, String value, String rule) {
    assertThatThrownBy(() -> parse.apply(value))
        .isInstanceOf(InvalidNameException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(rule);
  }

  private static String insert(String name, String bad, int at) {
    int i = Math.min(at, name.length());
    return name.substring(0, i) + bad + name.substring(i);
  }

  @Provide
  Arbitrary<String> validAgentNames() {
    return EnvelopeRoundTripPropertiesTest.agentNames()
        .edgeCases(c -> c.add("a", "dc", "web-c", "a_1", "z".repeat(32), "conx", "com10"));
  }

  @Provide
  Arbitrary<String> validIds() {
    return EnvelopeRoundTripPropertiesTest.ids()
        .edgeCases(
            c -> c.add("0", "-", "_", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "X".repeat(64)));
  }

  @Provide
  Arbitrary<String> forbiddenInNames() {
    Arbitrary<String> controls = Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf);
    return Arbitraries.oneOf(
        Arbitraries.of(
            "..", ".", "/", "\\", "../", "..\\", ":", "*", "?", "\"", "<", ">", "|", " ", "~",
            "\u007f", "\u00e9", "\u0430", "\uff0f", "%2e", "\t", "\n", "\r", "\u0000"),
        controls);
  }

  @Provide
  Arbitrary<Character> nonLetterStarts() {
    return Arbitraries.of('0', '5', '9', '-', '_');
  }

  @Provide
  Arbitrary<String> reservedInAnyCase() {
    return Arbitraries.of(WINDOWS_RESERVED)
        .flatMap(
            name ->
                Arbitraries.integers()
                    .between(0, (1 << name.length()) - 1)
                    .map(mask -> withCase(name, mask)));
  }

  private static String withCase(String name, int mask) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append((mask & (1 << i)) != 0 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  @Provide
  Arbitrary<String> traversals() {
    Arbitrary<String> prefix = EnvelopeRoundTripPropertiesTest.agentNames();
    return Combinators.combine(
            prefix,
            Arbitraries.of(
                "../", "..\\", "/..", "\\..", "/etc/passwd", "..", "./", "C:\\", "//server/share"))
        .as((p, t) -> p + t)
        .edgeCases(c -> c.add("..", "../..", "..\\..\\windows", "/", "\\"));
  }

  @Provide
  Arbitrary<String> nearReserved() {
    return Arbitraries.of(
        "conx", "cons", "com00", "com10", "lpt00", "lpt10", "nul1", "auxx", "prn-", "con_", "xcon",
        "COMA", "Lpt");
  }

  // The hand-written matchers against the rules written as regular expressions.
  private static final java.util.regex.Pattern AGENT_REGEX =
      java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final java.util.regex.Pattern TOPIC_REGEX =
      java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,63}");
  private static final java.util.regex.Pattern ID_REGEX =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

  @Property(tries = 2000)
  void handMatchers_agreeWithTheRegexRules(@ForAll("nearlyNames") String value) {
    assertThat(Names.isLowerName(value, 32))
        .as("agent %s", value)
        .isEqualTo(AGENT_REGEX.matcher(value).matches());
    assertThat(Names.isLowerName(value, 64))
        .as("topic %s", value)
        .isEqualTo(TOPIC_REGEX.matcher(value).matches());
    assertThat(Names.isId(value)).as("id %s", value).isEqualTo(ID_REGEX.matcher(value).matches());
  }

  /**
   * Strings of 0 to 70 characters, mostly of the allowed ones, mixed with their neighbours in ASCII
   * ('@', '[', '`', '{', '/', ':'), other ASCII and non-ASCII characters.
   */
  @Provide
  Arbitrary<String> nearlyNames() {
    Arbitrary<Character> chars =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.chars().with("abcxyz019_-")),
            net.jqwik.api.Tuple.of(3, Arbitraries.chars().with("ABZ")),
            net.jqwik.api.Tuple.of(2, Arbitraries.chars().with("@[`{/:. \u0000\u007f")),
            net.jqwik.api.Tuple.of(1, Arbitraries.chars().ascii()),
            net.jqwik.api.Tuple.of(1, Arbitraries.chars().with("\u00e9\u0131\u212a\uff41")));
    return chars.list().ofMinSize(0).ofMaxSize(70).map(NamesPropertiesTest::join);
  }

  private static String join(java.util.List<Character> chars) {
    StringBuilder out = new StringBuilder(chars.size());
    chars.forEach(out::append);
    return out.toString();
  }
}
