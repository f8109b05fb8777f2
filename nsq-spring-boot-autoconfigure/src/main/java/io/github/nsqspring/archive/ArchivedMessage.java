package io.github.nsqspring.archive;

import java.time.Instant;

/**
 * One row of the archive table: an NSQ message as the archive channel received it.
 * @param archiveId the row's own id (ties in {@code timestamp} are ordered by it)
 * @param id nsqd's 16-character message id
 * @param topic the topic
 * @param channel the archive channel it was received on
 * @param timestamp when nsqd received the message (nanosecond precision)
 * @param attempts the delivery attempt that was archived
 * @param body the raw body
 * @param receivedAt when the archive received it
 */
public record ArchivedMessage(long archiveId, String id, String topic, String channel, Instant timestamp, int attempts,
		byte[] body, Instant receivedAt) {

}
