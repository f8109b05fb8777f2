package io.github.nsqspring.core;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.nsqspring.support.NsqHeaders;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * Turns a payload into a message body nsqd will accept, or fails before anything is sent or stored:
 * shared by {@link NsqTemplate} and the durable delays, so both reject the same input the same way.
 *
 * <p>A spring-messaging {@link Message} payload publishes its payload; its headers go into the
 * {@link NsqEnvelope} (String values only; the reserved keys, Spring's {@code id} and {@code timestamp} and
 * the {@link NsqHeaders} of a received message are left out). A {@code byte[]} payload that already is an
 * envelope is published as it is.
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
		return toBody(converter, action, topic, payload, maxMessageSize, null);
	}

	/**
	 * Converts the payload, wraps it in an envelope when headers are given, and checks the body.
	 * @param envelope the headers of the envelope (not modified), or null for a body without one
	 * @throws IllegalArgumentException also for a {@link Message} header that is not a String, or a
	 * {@link Message} with headers when there is no envelope to carry them
	 */
	public static byte[] toBody(NsqMessageConverter converter, String action, String topic, Object payload,
			int maxMessageSize, @Nullable Map<String, String> envelope) {
		if (payload == null) {
			throw new IllegalArgumentException("Cannot " + action + " a null payload to topic '" + topic + "'");
		}
		Object content = payload;
		Map<String, String> own = Map.of();
		if (payload instanceof Message<?> message) {
			content = message.getPayload();
			own = ownHeaders(message, action, topic);
			if (envelope == null && !own.isEmpty()) {
				throw new IllegalArgumentException("Cannot " + action + " the headers " + own.keySet() + " of a Message to topic '"
						+ topic + "' without an envelope: set nsq.producer.envelope.enabled=true or list the topic in "
						+ "nsq.producer.envelope.topics");
			}
		}
		byte[] body = converter.toBody(content);
		if (body.length == 0) {
			throw new IllegalArgumentException(
					"Cannot " + action + " an empty message to topic '" + topic + "': nsqd rejects empty bodies");
		}
		if (envelope != null && !NsqEnvelope.isEnvelope(body)) {
			if (!own.isEmpty() && !envelope.isEmpty()) {
				// a key the propagator wrote (B3's, say) is the template's
				own.keySet().removeAll(envelope.keySet());
			}
			body = NsqEnvelope.encode(envelope, converter.contentType(content), own, body);
		}
		if (body.length > maxMessageSize) {
			throw new IllegalArgumentException("Message of " + body.length + " bytes for topic '" + topic
					+ "' exceeds nsqd's max message size of " + maxMessageSize + " bytes (nsq.producer.max-message-size)");
		}
		return body;
	}

	/** Spring's and a received message's headers, and the envelope's reserved keys (the template's to write). */
	private static final Set<String> LEFT_OUT = leftOut();

	private static Set<String> leftOut() {
		Set<String> keys = new HashSet<>(List.of(MessageHeaders.ID, MessageHeaders.TIMESTAMP, NsqHeaders.ID, NsqHeaders.ATTEMPTS,
				NsqHeaders.TIMESTAMP, NsqHeaders.TOPIC, NsqHeaders.CHANNEL));
		keys.addAll(NsqEnvelope.RESERVED);
		return Set.copyOf(keys);
	}

	private static Map<String, String> ownHeaders(Message<?> message, String action, String topic) {
		Map<String, String> own = null;
		for (Map.Entry<String, Object> header : message.getHeaders().entrySet()) {
			String key = header.getKey();
			Object value = header.getValue();
			// the envelope's keys come first: own keys must differ from them
			if (LEFT_OUT.contains(key)) {
				continue;
			}
			if (!(value instanceof String text)) {
				throw new IllegalArgumentException("Cannot " + action + " header '" + key + "' of a Message to topic '" + topic
						+ "': envelope headers are Strings, its value is a "
						+ ((value != null) ? value.getClass().getName() : "null"));
			}
			if (own == null) {
				// sized for a few headers: no table resize, and none at all for a Message without own headers
				own = new LinkedHashMap<>(4);
			}
			own.put(key, text);
		}
		return (own != null) ? own : Map.of();
	}

}
