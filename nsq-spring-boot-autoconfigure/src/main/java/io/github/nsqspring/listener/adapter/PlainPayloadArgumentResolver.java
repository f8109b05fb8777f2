package io.github.nsqspring.listener.adapter;

import java.lang.annotation.Annotation;

import io.github.nsqspring.core.NsqMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.validation.annotation.ValidationAnnotationUtils;

/**
 * Resolves a payload parameter with neither {@code @Payload} nor a validation annotation ({@code @Valid},
 * {@code @Validated}) as a listener method without spring-messaging annotations does: through
 * {@link PayloadReader}, so {@code @Nullable} and {@code Optional} parameters receive JSON {@code null}.
 * The others are left to spring-messaging's payload resolver, which validates.
 */
final class PlainPayloadArgumentResolver implements HandlerMethodArgumentResolver {

	private final NsqMessageConverter converter;

	PlainPayloadArgumentResolver(NsqMessageConverter converter) {
		this.converter = converter;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return !isAnnotatedPayload(parameter.getParameterAnnotations());
	}

	/** Whether a parameter with these annotations is a {@code @Payload} or validated payload. */
	static boolean isAnnotatedPayload(Annotation[] annotations) {
		for (Annotation annotation : annotations) {
			if (annotation instanceof Payload || ValidationAnnotationUtils.determineValidationHints(annotation) != null) {
				return true;
			}
		}
		return false;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, Message<?> message) {
		// a reader per call: only methods that also use spring-messaging's annotations come here
		return PayloadReader.forParameter(this.converter, parameter.getParameter()).read((byte[]) message.getPayload());
	}

}
