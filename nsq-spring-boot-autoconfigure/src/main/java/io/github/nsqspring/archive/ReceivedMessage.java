package io.github.nsqspring.archive;

import java.time.Instant;

import io.github.nsqspring.core.NsqMessage;

/** A delivered message waiting in a batch of the archive writer, with the time it arrived. */
record ReceivedMessage(NsqMessage message, Instant receivedAt) {

}
