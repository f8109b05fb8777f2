package io.github.nsqspring.listener.adapter;

import java.lang.reflect.Type;

import io.github.nsqspring.core.NsqMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.support.MessageBuilder;

/**
 * spring-messaging's view of the {@link NsqMessageConverter}, for {@code @Payload} and {@code Message<T>}
 * parameters: it reads the raw body as the parameter's generic type (the {@code T} of
 * {@code Message<T>} or {@code Optional<T>}), so payloads convert exactly as for a plain payload
 * parameter; a body it cannot read, or JSON {@code null}, is an
 * {@link io.github.nsqspring.core.NsqPayloadConversionException}.
 */
final class NsqMessagingConverter implements SmartMessageConverter {

	private final NsqMessageConverter converter;

	NsqMessagingConverter(NsqMessageConverter converter) {
		this.converter = converter;
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
		return fromMessage(message, targetClass, null);
	}

	@Override
	public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
		if (!(message.getPayload() instanceof byte[] body)) {
			return null;
		}
		Type type = (conversionHint instanceof MethodParameter parameter) ? payloadType(parameter) : targetClass;
		return PayloadReader.forType(this.converter, type).read(body);
	}

	private static Type payloadType(MethodParameter parameter) {
		ResolvableType type = ResolvableType.forMethodParameter(parameter);
		if (Message.class.isAssignableFrom(type.toClass())) {
			return type.as(Message.class).getGeneric().getType();
		}
		return ResolvableType.forMethodParameter(parameter.nestedIfOptional()).getType();
	}

	@Override
	public Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
		return toMessage(payload, headers, null);
	}

	@Override
	public Message<?> toMessage(Object payload, @Nullable MessageHeaders headers, @Nullable Object conversionHint) {
		return MessageBuilder.createMessage(this.converter.toBody(payload), (headers != null) ? headers : new MessageHeaders(null));
	}

}
