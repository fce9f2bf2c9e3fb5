/**
 * PhiSync: a coordination fabric for AI agents over a shared directory. Start with {@link
 * io.phisync.PhiSync#open(java.nio.file.Path)}.
 */
@NullMarked
package io.phisync;

import org.jspecify.annotations.NullMarked;
