package io.phisync.bench.process;

/** The roles a child can play, by name: the one place that maps names to implementations. */
final class Roles {
  private Roles() {}

  static Role of(String name, ChildOptions options) {
    Subject subject = options.subject();
    return switch (name) {
      case "raw" -> new RawWriter(options);
      case "produce" ->
          subject == Subject.PHISYNC ? new PhiSyncProducer(options) : new PlainProducer(options);
      case "consume" ->
          switch (subject) {
            case PHISYNC -> new PhiSyncConsumer(options);
            case CODEX -> new CodexConsumer(options);
            case CAMEL -> new CamelConsumer(options);
            case RAW_FS, RAW_FS_KEPT -> new RawConsumer(options);
          };
      case "respond" ->
          switch (subject) {
            case PHISYNC -> new PhiSyncResponder(options);
            case CODEX -> new CodexResponder(options);
            case CAMEL -> new CamelResponder(options);
            case RAW_FS, RAW_FS_KEPT -> new RawResponder(options);
          };
      case "request" ->
          switch (subject) {
            case PHISYNC -> new PhiSyncRequester(options);
            case CODEX -> new CodexRequester(options);
            case CAMEL -> new CamelRequester(options);
            case RAW_FS, RAW_FS_KEPT -> new RawRequester(options);
          };
      case "orchestrate" -> new PhiSyncOrchestrator(options);
      case "lock" -> new PhiSyncContender(options, true);
      case "cas" -> new PhiSyncContender(options, false);
      default -> throw new IllegalArgumentException("unknown role " + name);
    };
  }
}
