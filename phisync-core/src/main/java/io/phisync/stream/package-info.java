/**
 * Event-sourced streams: append with an expected version, read forward, rebuild from a snapshot
 * plus the tail. Start at {@link io.phisync.stream.Streams}.
 */
@NullMarked
package io.phisync.stream;

import org.jspecify.annotations.NullMarked;
