package io.github.nsqspring.archive;

import java.time.Instant;
import java.util.Map;

import io.github.nsqspring.core.NsqEnvelope;

/**
 * One row of the archive table: an NSQ message as the archive channel received it.
 * @param archiveId the row's own id (ties in {@code timestamp} are ordered by it)
 * @param id nsqd's 16-character message id
 * @param topic the topic
 * @param channel the archive channel it was received on
 * @param timestamp when nsqd received the message (nanosecond precision)
 * @param attempts the delivery attempt that was archived
 * @param body the body (an envelope's payload)
 * @param receivedAt when the archive received it
 * @param headers the headers of its NSQE envelope, empty without one
 */
public record ArchivedMessage(long archiveId, String id, String topic, String channel, Instant timestamp, int attempts,
		byte[] body, Instant receivedAt, Map<String, String> headers) {

	/** The message as it was published: the body, in an envelope with its headers when it had one. */
	public byte[] publishedBody() {
		return this.headers.isEmpty() ? this.body : NsqEnvelope.encode(this.headers, this.body);
	}

}
