package io.phisync.lock;

import java.time.Duration;
import java.time.Instant;

/**
 * Who holds a lock, as its grant record says.
 *
 * @param ownerId the holder's id
 * @param host the holder's host name
 * @param pid the holder's process id
 * @param acquired when it was granted, by the holder's wall clock (informative only)
 * @param token the fencing token of the grant
 * @param lease how long the holder may go without renewing
 */
public record LockOwner(
    String ownerId, String host, long pid, Instant acquired, long token, Duration lease) {}
