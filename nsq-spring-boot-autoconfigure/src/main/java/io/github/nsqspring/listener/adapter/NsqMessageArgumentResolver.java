package io.github.nsqspring.listener.adapter;

import io.github.nsqspring.core.NsqMessage;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;

/** Resolves an {@link NsqMessage} parameter to the delivered message. */
final class NsqMessageArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == NsqMessage.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, Message<?> message) {
		if (!(message instanceof NsqMessagingMessage delivered)) {
			throw new IllegalStateException("Not a delivered NSQ message: " + message);
		}
		return delivered.nsqMessage();
	}

}
