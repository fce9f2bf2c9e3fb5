/**
 * The chaos campaign's machinery: a {@link Campaign} runs a {@link Workload} of real agent
 * processes ({@link Agents}) while injecting {@link Fault}s into those processes only, then lets
 * the workload count what happened. One workload class per capability (messaging now; CAS, locks,
 * streams, events and workflows as they land), one fault class per kind of fault.
 */
@NullMarked
package io.phisync.testing.chaos;

import org.jspecify.annotations.NullMarked;
