package io.github.nsqspring.core;

/**
 * Turns a payload into a message body nsqd will accept, or fails before anything is sent or stored:
 * shared by {@link NsqTemplate} and the durable delays, so both reject the same input the same way.
 */
public final class NsqMessageBodies {

	private NsqMessageBodies() {
	}

	/**
	 * Converts the payload and checks the body.
	 * @param converter converts the payload
	 * @param action what is about to happen, for the message: {@code "publish"} or {@code "schedule"}
	 * @param topic the topic, for the message
	 * @param payload the payload
	 * @param maxMessageSize nsqd's max message size in bytes
	 * @return the body
	 * @throws IllegalArgumentException for a null payload, an empty body or one above the max message size
	 */
	public static byte[] toBody(NsqMessageConverter converter, String action, String topic, Object payload,
			int maxMessageSize) {
		if (payload == null) {
			throw new IllegalArgumentException("Cannot " + action + " a null payload to topic '" + topic + "'");
		}
		byte[] body = converter.toBody(payload);
		if (body.length == 0) {
			throw new IllegalArgumentException(
					"Cannot " + action + " an empty message to topic '" + topic + "': nsqd rejects empty bodies");
		}
		if (body.length > maxMessageSize) {
			throw new IllegalArgumentException("Message of " + body.length + " bytes for topic '" + topic
					+ "' exceeds nsqd's max message size of " + maxMessageSize + " bytes (nsq.producer.max-message-size)");
		}
		return body;
	}

}
