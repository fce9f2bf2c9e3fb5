package io.phisync.transport.file;

/**
 * A group commit: threads that each need a force made after their own change share the forces. Each
 * caller takes a ticket once its change is made; a force covers every ticket taken before it
 * started. While a force runs, callers that came after it started wait for it to end, then one of
 * them forces once for all of them. So many concurrent acks (an agent's workers) cost about two
 * forces, not one each.
 *
 * <p>A force that fails covers nobody: its caller gets the failure, and the next waiting caller
 * forces again. Waiting is not interruptible (a caller may not return before its change is on
 * disk); an interrupt is kept for after.
 */
final class GroupCommit {
  private final Object lock = new Object();
  private long taken; // Guarded by lock: tickets handed out.
  private long covered; // Guarded by lock: every ticket up to this one is on disk.
  private boolean forcing; // Guarded by lock.
  private int waiting; // Guarded by lock.
  private long forces; // Guarded by lock: forces run, for tests.

  /** Returns once a force that started after this call ran {@code force} and did not fail. */
  void commit(Runnable force) {
    long target;
    boolean interrupted = false;
    synchronized (lock) {
      long ticket = ++taken;
      while (true) {
        if (covered >= ticket) {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
          return;
        }
        if (!forcing) {
          forcing = true;
          target = taken;
          break;
        }
        waiting++;
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        } finally {
          waiting--;
        }
      }
    }
    boolean done = false;
    try {
      force.run();
      done = true;
    } finally {
      synchronized (lock) {
        forcing = false;
        forces++;
        if (done) {
          covered = Math.max(covered, target);
        }
        lock.notifyAll();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many callers wait for a force to end; for tests. */
  int waiting() {
    synchronized (lock) {
      return waiting;
    }
  }

  /** How many forces ran; for tests. */
  long forces() {
    synchronized (lock) {
      return forces;
    }
  }
}
