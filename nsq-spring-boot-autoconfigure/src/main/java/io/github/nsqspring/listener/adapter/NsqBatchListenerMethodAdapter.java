package io.github.nsqspring.listener.adapter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.listener.NsqBatchMessageListener;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.util.ReflectionUtils;

/**
 * Invokes a batch listener method ({@code @NsqListener(batch = "true")}) with its batch. The method takes one
 * parameter: {@code List<NsqMessage>} (the messages themselves), {@code List<Message<T>>} (spring-messaging
 * messages: each payload converted to {@code T}, the headers of a single-message listener) or {@code List<T>}
 * (the payloads converted by the {@link NsqMessageConverter}: {@code String}, {@code byte[]} or any type it
 * reads). A payload that cannot be converted, or converts to {@code null}, is an
 * {@link io.github.nsqspring.core.NsqPayloadConversionException}: the container takes that message out of
 * the batch. What the method returns is ignored. The declaration is checked once, when the adapter is created.
 */
public final class NsqBatchListenerMethodAdapter implements NsqBatchMessageListener {

	private final Object bean;

	private final Method method;

	private final Function<NsqMessage, @Nullable Object> converter;

	private final String description;

	private NsqBatchListenerMethodAdapter(Object bean, Method method, Function<NsqMessage, @Nullable Object> converter) {
		this.bean = bean;
		this.method = method;
		this.converter = converter;
		this.description = method.getDeclaringClass().getSimpleName() + "." + method.getName();
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Creates an adapter for a batch listener method.
	 * @param bean the bean to invoke the method on (a proxy is fine)
	 * @param method a method invocable on {@code bean}
	 * @param converter reads the payloads
	 * @throws IllegalArgumentException when the method does not take exactly one {@code List} parameter of a
	 * supported element type, naming what it takes
	 */
	public static NsqBatchListenerMethodAdapter forMethod(Object bean, Method method, NsqMessageConverter converter) {
		if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != List.class) {
			throw new IllegalArgumentException("it is a batch listener (batch = \"true\") but takes " + List.of(method.getGenericParameterTypes())
					+ "; a batch listener takes one parameter: List<NsqMessage>, List<Message<T>> or List<T> of a payload type");
		}
		ResolvableType element = ResolvableType.forMethodParameter(new MethodParameter(method, 0)).getGeneric();
		Class<?> elementClass = element.resolve(Object.class);
		if (elementClass == NsqMessage.class) {
			return new NsqBatchListenerMethodAdapter(bean, method, (message) -> message);
		}
		if (Message.class.isAssignableFrom(elementClass)) {
			ResolvableType payload = element.as(Message.class).getGeneric();
			if (payload.resolve(Object.class) == Object.class) {
				return new NsqBatchListenerMethodAdapter(bean, method, (message) -> messagingMessage(message, message.body()));
			}
			PayloadReader reader = readable(converter, payload.getType(), method);
			return new NsqBatchListenerMethodAdapter(bean, method,
					(message) -> messagingMessage(message, reader.read(message)));
		}
		if (elementClass == Object.class || elementClass.getName().startsWith("com.sproutsocial.nsq")) {
			throw unsupported(method, element.getType());
		}
		PayloadReader reader = readable(converter, element.getType(), method);
		return new NsqBatchListenerMethodAdapter(bean, method, reader::read);
	}

	private static PayloadReader readable(NsqMessageConverter converter, Type payloadType, Method method) {
		if (!converter.canRead(payloadType)) {
			throw unsupported(method, payloadType);
		}
		return PayloadReader.forType(converter, payloadType);
	}

	private static IllegalArgumentException unsupported(Method method, Type elementType) {
		return new IllegalArgumentException("its batch parameter '" + method.getParameters()[0].getName() + "' has elements of type "
				+ elementType.getTypeName() + ", which is not supported; use List<NsqMessage>, List<Message<T>> or List<T> "
				+ "of String, byte[] or a type the NsqMessageConverter can read");
	}

	private static Message<Object> messagingMessage(NsqMessage message, @Nullable Object payload) {
		// PayloadReader.forType never returns null
		return new GenericMessage<>(Objects.requireNonNull(payload), new NsqMessagingMessage(message).getHeaders());
	}

	@Override
	public @Nullable Object convert(NsqMessage message) {
		return this.converter.apply(message);
	}

	@Override
	public void onBatch(List<NsqMessage> messages, List<@Nullable Object> converted) throws Exception {
		try {
			this.method.invoke(this.bean, converted);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Error error) {
				throw error;
			}
			throw (target instanceof Exception exception) ? exception : ex;
		}
	}

	@Override
	public String toString() {
		return this.description;
	}

}
