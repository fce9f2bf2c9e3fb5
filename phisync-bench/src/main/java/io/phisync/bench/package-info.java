/** {@code phisync bench}: runs the scenarios, shows progress, prints the table and the JSON. */
@NullMarked
package io.phisync.bench;

import org.jspecify.annotations.NullMarked;
