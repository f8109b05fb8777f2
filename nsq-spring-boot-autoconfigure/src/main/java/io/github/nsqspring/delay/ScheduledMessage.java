package io.github.nsqspring.delay;

import java.time.Instant;

/**
 * A delayed message as it is stored until it is published.
 *
 * @param id the id {@link NsqDelayedMessages#schedule} returned
 * @param topic the topic it will be published to
 * @param body the message body, converted when it was scheduled
 * @param dueAt when it becomes due; it is never published earlier
 */
public record ScheduledMessage(String id, String topic, byte[] body, Instant dueAt) {

	@Override
	public String toString() {
		return "ScheduledMessage[id=" + this.id + ", topic=" + this.topic + ", dueAt=" + this.dueAt + ", body="
				+ this.body.length + " bytes]";
	}

}
