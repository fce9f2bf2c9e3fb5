package io.phisync.lock;

/** The lock was not free within the wait. */
public final class LockTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient LockStatus status;

  public LockTimeoutException(String name, LockStatus status) {
    super("lock '" + name + "' is held: " + describe(status));
    this.status = status;
  }

  /** What the lock looked like at the end of the wait. */
  public LockStatus status() {
    return status;
  }

  private static String describe(LockStatus status) {
    if (status instanceof LockStatus.Held held) {
      LockOwner o = held.owner();
      return "by "
          + o.ownerId()
          + " (pid "
          + o.pid()
          + " on "
          + o.host()
          + ", token "
          + o.token()
          + ")";
    }
    if (status instanceof LockStatus.Foreign) {
      return "by a lock file that another program created";
    }
    return "free now";
  }
}
