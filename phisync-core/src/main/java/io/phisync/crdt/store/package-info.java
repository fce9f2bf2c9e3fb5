/**
 * Replicated CRDTs on a root: each agent writes only its own replica of a key, readers merge every
 * replica. Reached through {@code PhiSync.crdts()}.
 */
@NullMarked
package io.phisync.crdt.store;

import org.jspecify.annotations.NullMarked;
