/**
 * A linearizability checker for recorded histories (Wing &amp; Gong's search with Lowe's
 * memoization, as in Porcupine), written for PhiSync's campaigns. Histories are checked per key
 * (P-compositionality): a history is linearizable when each key's sub-history is.
 *
 * <p>Plugging in a capability: record each operation's call and return with {@link HistoryRecorder}
 * (one JSON-lines file per process, merged by {@link History#read}), describe the object as a
 * {@link Model}, and call {@link Checker#check}. {@link VersionedRegister} is the model of a
 * compare-and-set store by revision.
 */
@NullMarked
package io.phisync.testing.linearizability;

import org.jspecify.annotations.NullMarked;
