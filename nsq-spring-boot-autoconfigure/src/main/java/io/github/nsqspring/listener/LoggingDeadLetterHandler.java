package io.github.nsqspring.listener;

import java.nio.charset.StandardCharsets;

import io.github.nsqspring.core.NsqMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** The last-resort dead-letter handler: one ERROR line with id, topic, channel, attempts and a body preview. */
public class LoggingDeadLetterHandler implements NsqDeadLetterHandler {

	private static final Log logger = LogFactory.getLog(LoggingDeadLetterHandler.class);

	private static final int PREVIEW_BYTES = 200;

	@Override
	public void handle(NsqMessage message, Throwable cause) {
		logger.error("Dead letter: message " + message.id() + " of topic '" + message.topic() + "', channel '"
				+ message.channel() + "' after " + message.attempts() + " attempt(s), body (" + message.body().length
				+ " bytes): " + preview(message.body()) + "; cause: " + cause, cause);
	}

	static String preview(byte[] body) {
		int length = Math.min(body.length, PREVIEW_BYTES);
		String text = new String(body, 0, length, StandardCharsets.UTF_8);
		return (body.length > PREVIEW_BYTES) ? text + "..." : text;
	}

}
