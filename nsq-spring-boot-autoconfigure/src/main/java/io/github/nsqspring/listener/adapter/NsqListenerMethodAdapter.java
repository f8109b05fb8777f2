package io.github.nsqspring.listener.adapter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqMessageConversionException;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.NsqPayloadConversionException;

import org.springframework.core.Nullness;
import org.springframework.util.ReflectionUtils;

/**
 * Invokes a listener method with arguments resolved from an {@link NsqMessage}: the message itself for
 * an {@code NsqMessage} parameter, and the body converted by the {@link NsqMessageConverter} for the
 * (at most one) payload parameter: {@code String} (UTF-8), {@code byte[]}, or any type the converter
 * can read; a body that converts to {@code null} (JSON {@code null}) is a conversion failure unless the
 * parameter is {@code @Nullable} (JSpecify's or Spring's) or {@code Optional}. The method's parameters are checked once, when the adapter is created.
 */
public final class NsqListenerMethodAdapter {

	private static final String NSQ_J_PACKAGE = "com.sproutsocial.nsq";

	private final Object bean;

	private final Method method;

	private final List<Function<NsqMessage, Object>> resolvers;

	private NsqListenerMethodAdapter(Object bean, Method method, List<Function<NsqMessage, Object>> resolvers) {
		this.bean = bean;
		this.method = method;
		this.resolvers = resolvers;
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Creates an adapter for a listener method.
	 * @param bean the bean to invoke the method on (a proxy is fine)
	 * @param method a method invocable on {@code bean}
	 * @param converter reads the payload parameter
	 * @throws IllegalArgumentException describing the first parameter that cannot be resolved
	 */
	public static NsqListenerMethodAdapter forMethod(Object bean, Method method, NsqMessageConverter converter) {
		List<Function<NsqMessage, Object>> resolvers = new ArrayList<>();
		Parameter payload = null;
		Parameter messageParameter = null;
		for (Parameter parameter : method.getParameters()) {
			Class<?> type = parameter.getType();
			if (type == NsqMessage.class) {
				if (messageParameter != null) {
					throw new IllegalArgumentException("it has two NsqMessage parameters (" + messageParameter.getName() + ", "
							+ parameter.getName() + "); declare at most one");
				}
				messageParameter = parameter;
				resolvers.add((message) -> message);
				continue;
			}
			Type payloadType = parameter.getParameterizedType();
			if (type.getName().startsWith(NSQ_J_PACKAGE) || !converter.canRead(payloadType)) {
				throw new IllegalArgumentException("its parameter '" + parameter.getName() + "' of type " + payloadType.getTypeName()
						+ " is not supported; use NsqMessage, String, byte[] or a type the NsqMessageConverter can read "
						+ "(a concrete class, a collection or a map)");
			}
			if (payload != null) {
				throw new IllegalArgumentException("it has two payload parameters ('" + payload.getName() + "' and '"
						+ parameter.getName() + "'); a listener method takes at most one payload parameter besides NsqMessage");
			}
			payload = parameter;
			boolean acceptsNull = acceptsNull(parameter);
			resolvers.add((message) -> readPayload(converter, message, payloadType, acceptsNull));
		}
		return new NsqListenerMethodAdapter(bean, method, List.copyOf(resolvers));
	}

	private static boolean acceptsNull(Parameter parameter) {
		return parameter.getType() == Optional.class
				|| Nullness.forParameter(parameter) == Nullness.NULLABLE;
	}

	private static Object readPayload(NsqMessageConverter converter, NsqMessage message, Type payloadType, boolean acceptsNull) {
		Object payload;
		try {
			payload = converter.fromBody(message.body(), payloadType);
		}
		catch (NsqMessageConversionException ex) {
			throw new NsqPayloadConversionException(ex.getMessage(), ex);
		}
		if (payload == null && !acceptsNull) {
			throw new NsqPayloadConversionException("The message body converts to null (JSON null), which the payload "
					+ "parameter of type " + payloadType.getTypeName() + " does not accept: declare it @Nullable or Optional "
					+ "to receive it", null);
		}
		return payload;
	}

	/**
	 * Resolves the arguments and invokes the method.
	 * @throws NsqPayloadConversionException when the payload cannot be converted
	 * @throws Exception whatever the method throws
	 */
	public void invoke(NsqMessage message) throws Exception {
		Object[] arguments = new Object[this.resolvers.size()];
		for (int i = 0; i < arguments.length; i++) {
			arguments[i] = this.resolvers.get(i).apply(message);
		}
		try {
			this.method.invoke(this.bean, arguments);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			if (target instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	@Override
	public String toString() {
		return this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
	}

}
