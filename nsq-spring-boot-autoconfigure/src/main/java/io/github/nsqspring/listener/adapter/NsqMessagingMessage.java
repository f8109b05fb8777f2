package io.github.nsqspring.listener.adapter;

import java.util.HashMap;
import java.util.Map;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.support.NsqHeaders;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

/**
 * A delivered {@link NsqMessage} as a spring-messaging message: the body (an envelope's payload) as payload,
 * the envelope's headers and the {@link NsqHeaders} (which win over envelope headers of the same name); it keeps the {@code NsqMessage} for a parameter of that type. Its headers have no
 * generated id or timestamp (nsqd's are in {@link NsqHeaders#ID} and {@link NsqHeaders#TIMESTAMP}).
 */
final class NsqMessagingMessage extends GenericMessage<byte[]> {

	private final transient NsqMessage nsqMessage;

	NsqMessagingMessage(NsqMessage nsqMessage) {
		super(nsqMessage.body(), new NsqMessageHeaders(nsqMessage));
		this.nsqMessage = nsqMessage;
	}

	NsqMessage nsqMessage() {
		return this.nsqMessage;
	}

	private static final class NsqMessageHeaders extends MessageHeaders {

		NsqMessageHeaders(NsqMessage message) {
			super(headersOf(message), ID_VALUE_NONE, -1L);
		}

		private static Map<String, Object> headersOf(NsqMessage message) {
			Map<String, String> envelope = message.headers();
			Map<String, Object> headers = new HashMap<>(8 + envelope.size() * 2);
			headers.putAll(envelope);
			headers.put(NsqHeaders.ID, message.id());
			headers.put(NsqHeaders.ATTEMPTS, message.attempts());
			headers.put(NsqHeaders.TIMESTAMP, message.timestamp());
			headers.put(NsqHeaders.TOPIC, message.topic());
			headers.put(NsqHeaders.CHANNEL, message.channel());
			return headers;
		}

	}

}
