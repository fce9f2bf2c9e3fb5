/** The transport over a shared directory, file protocol v1. */
@NullMarked
package io.phisync.transport.file;

import org.jspecify.annotations.NullMarked;
