/**
 * The {@code phisync} command line: picocli commands that parse options and hand off to small task
 * classes.
 */
@NullMarked
package io.phisync.cli;

import org.jspecify.annotations.NullMarked;
