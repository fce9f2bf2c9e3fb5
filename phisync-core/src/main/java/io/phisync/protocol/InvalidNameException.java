package io.phisync.protocol;

/** A name or id that fails validation; the message names the value and the rule it breaks. */
public final class InvalidNameException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String rule;

  InvalidNameException(String kind, String value, String rule) {
    super("invalid " + kind + " '" + printable(value) + "': " + rule);
    this.rule = rule;
  }

  /** The rule the value breaks, in words. */
  public String rule() {
    return rule;
  }

  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value
        .codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return value.length() > 80 ? out + "..." : out.toString();
  }
}
