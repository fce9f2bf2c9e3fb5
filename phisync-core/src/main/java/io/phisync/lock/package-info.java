/** Locks as leases with fencing tokens. Start at {@link io.phisync.lock.Locks}. */
@NullMarked
package io.phisync.lock;

import org.jspecify.annotations.NullMarked;
