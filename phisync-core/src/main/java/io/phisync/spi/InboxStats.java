package io.phisync.spi;

/**
 * @param pending messages waiting to be claimed
 * @param claimed messages held by a consumer
 */
public record InboxStats(int pending, int claimed) {}
