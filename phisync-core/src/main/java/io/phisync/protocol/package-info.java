/** The values of file protocol v1: names, the envelope and its tolerant codec. */
@NullMarked
package io.phisync.protocol;

import org.jspecify.annotations.NullMarked;
