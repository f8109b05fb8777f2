package io.github.nsqspring.listener.adapter;

import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.Optional;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqMessageConversionException;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.NsqPayloadConversionException;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Nullness;

/**
 * Reads a message body as the type of one payload parameter with the {@link NsqMessageConverter}: a
 * body the converter cannot read, or one that converts to {@code null} (JSON {@code null}) when the
 * parameter is neither {@code @Nullable} (JSpecify's or Spring's) nor {@code Optional}, is an
 * {@link NsqPayloadConversionException}.
 */
final class PayloadReader {

	private final NsqMessageConverter converter;

	private final Type payloadType;

	private final boolean acceptsNull;

	private PayloadReader(NsqMessageConverter converter, Type payloadType, boolean acceptsNull) {
		this.converter = converter;
		this.payloadType = payloadType;
		this.acceptsNull = acceptsNull;
	}

	/** A reader for a payload parameter, which accepts null when the parameter does. */
	static PayloadReader forParameter(NsqMessageConverter converter, Parameter parameter) {
		boolean acceptsNull = parameter.getType() == Optional.class || Nullness.forParameter(parameter) == Nullness.NULLABLE;
		return new PayloadReader(converter, parameter.getParameterizedType(), acceptsNull);
	}

	/** A reader for a payload of the given type, which never accepts null. */
	static PayloadReader forType(NsqMessageConverter converter, Type payloadType) {
		return new PayloadReader(converter, payloadType, false);
	}

	@Nullable Object read(NsqMessage message) {
		return read(message.body());
	}

	@Nullable Object read(byte[] body) {
		Object payload;
		try {
			payload = this.converter.fromBody(body, this.payloadType);
		}
		catch (NsqMessageConversionException ex) {
			throw new NsqPayloadConversionException(ex.getMessage(), ex);
		}
		if (payload == null && !this.acceptsNull) {
			throw new NsqPayloadConversionException("The message body converts to null (JSON null), which the payload "
					+ "parameter of type " + this.payloadType.getTypeName() + " does not accept: declare it @Nullable or "
					+ "Optional to receive it", null);
		}
		return payload;
	}

}
