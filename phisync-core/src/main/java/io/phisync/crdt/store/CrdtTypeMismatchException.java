package io.phisync.crdt.store;

/** A key was used as another type than the one its first write fixed. */
public final class CrdtTypeMismatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String recorded;
  private final String requested;

  CrdtTypeMismatchException(String key, String recorded, String requested) {
    super(
        "CRDT key '"
            + key
            + "' is a "
            + recorded
            + ", not a "
            + requested
            + " (a key's type is fixed by its first write)");
    this.key = key;
    this.recorded = recorded;
    this.requested = requested;
  }

  /** The key. */
  public String key() {
    return key;
  }

  /** The type its first write fixed. */
  public String recorded() {
    return recorded;
  }

  /** The type that was asked for. */
  public String requested() {
    return requested;
  }
}
