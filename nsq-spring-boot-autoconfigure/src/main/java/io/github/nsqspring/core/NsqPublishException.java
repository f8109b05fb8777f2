package io.github.nsqspring.core;

import org.jspecify.annotations.Nullable;

/**
 * A publish that nsqd did not acknowledge: the connection failed or timed out, or nsqd answered with an
 * error. Names the topic and the nsqd address (or the addresses tried when none could be reached). The
 * message may or may not have reached nsqd when the connection broke after it was written; a publish
 * that completed normally was acknowledged by nsqd.
 */
public class NsqPublishException extends RuntimeException {

	private final String topic;

	private final String address;

	public NsqPublishException(String topic, String address, String reason, @Nullable Throwable cause) {
		super("Cannot publish to topic '" + topic + "' on nsqd " + address + ": " + reason, cause);
		this.topic = topic;
		this.address = address;
	}

	/** The topic of the failed publish. */
	public String getTopic() {
		return this.topic;
	}

	/** The nsqd address the publish went to, or the addresses tried when none could be reached. */
	public String getAddress() {
		return this.address;
	}

}
