/**
 * Human approval gates: requests the approver can read, and decisions signed with a key that only
 * the approver holds, outside the shared root. Start at {@link io.phisync.approval.Approvals}.
 */
@NullMarked
package io.phisync.approval;

import org.jspecify.annotations.NullMarked;
