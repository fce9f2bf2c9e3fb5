/**
 * The transport SPI: the storage semantics (claim, ack, nack with leases, watch) that every
 * transport implements.
 */
@NullMarked
package io.phisync.spi;

import org.jspecify.annotations.NullMarked;
