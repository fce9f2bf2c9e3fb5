/**
 * Publish/subscribe: topics with a total order each, durable subscriptions with cursors, filters,
 * retention, and codex-style event files from foreign publishers. The way in is {@code
 * PhiSync.events()}.
 */
@NullMarked
package io.phisync.events;

import org.jspecify.annotations.NullMarked;
