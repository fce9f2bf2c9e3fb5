/** The message bus: send, claim, ack, nack, request/response, dead letters. */
@NullMarked
package io.phisync.bus;

import org.jspecify.annotations.NullMarked;
