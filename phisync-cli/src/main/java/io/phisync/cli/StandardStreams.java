package io.phisync.cli;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The process's raw standard input and output, for a command that speaks a protocol on them ({@code
 * phisync mcp}). Only {@link Main} creates real ones.
 *
 * @param in standard input
 * @param out standard output
 * @param reserveOut makes {@code out} the protocol's alone: later stray prints go to stderr
 */
record StandardStreams(InputStream in, OutputStream out, Runnable reserveOut) {

  /** No streams: empty input, discarded output (for commands run in-process by tests). */
  static StandardStreams none() {
    return new StandardStreams(
        InputStream.nullInputStream(), OutputStream.nullOutputStream(), () -> {});
  }
}
