/**
 * The state store: versioned JSON documents with compare-and-set, fencing, history and watching.
 * Start at {@link io.phisync.state.StateStore}.
 */
@NullMarked
package io.phisync.state;

import org.jspecify.annotations.NullMarked;
