package io.github.nsqspring.listener.adapter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.NsqPayloadConversionException;
import io.github.nsqspring.listener.NsqMessageListener;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.util.ReflectionUtils;

/**
 * Invokes a listener method for a delivered {@link NsqMessage} and handles what it returns.
 * <p>
 * Parameters: an {@code NsqMessage} parameter is the message itself; the (at most one) payload parameter
 * is the body converted by the {@link NsqMessageConverter}: {@code String} (UTF-8), {@code byte[]}, or any
 * type the converter can read; a body that converts to {@code null} (JSON {@code null}) is a conversion
 * failure unless the parameter is {@code @Nullable} (JSpecify's or Spring's) or {@code Optional}. A method
 * that also uses spring-messaging ({@code @Payload}, {@code @Valid}, {@code @Header}, {@code @Headers},
 * {@code Message<T>}, {@code MessageHeaders}) is invoked through the {@link NsqMessageHandlerMethodFactory};
 * one that does not is invoked directly, which costs less per message. A payload that cannot be converted
 * or fails validation is an {@link NsqPayloadConversionException}.
 * <p>
 * Return value: a {@link CompletionStage} defers the outcome until it completes; with a
 * {@link ReplyPublisher} ({@code @SendTo}) the non-null return value, or the stage's value, is published
 * before the handling counts as done. The method's declaration is checked once, when the adapter is
 * created.
 */
public final class NsqListenerMethodAdapter implements NsqMessageListener {

	private static final String NSQ_J_PACKAGE = "com.sproutsocial.nsq";

	private final Invoker invoker;

	private final @Nullable ReplyPublisher replies;

	private final String description;

	private NsqListenerMethodAdapter(Invoker invoker, @Nullable ReplyPublisher replies, Method method) {
		this.invoker = invoker;
		this.replies = replies;
		this.description = method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

	/**
	 * Creates an adapter for a listener method.
	 * @param bean the bean to invoke the method on (a proxy is fine)
	 * @param method a method invocable on {@code bean}
	 * @param converter reads the payload parameter
	 * @param methodFactory invokes methods that use spring-messaging's parameter annotations or types
	 * @param replies publishes the return values ({@code @SendTo}), or null
	 * @throws IllegalArgumentException describing the first parameter that cannot be resolved, or a
	 * {@code @SendTo} method that returns nothing
	 */
	public static NsqListenerMethodAdapter forMethod(Object bean, Method method, NsqMessageConverter converter,
			NsqMessageHandlerMethodFactory methodFactory, @Nullable ReplyPublisher replies) {
		if (replies != null && method.getReturnType() == void.class) {
			throw new IllegalArgumentException("it is annotated " + replies + " but returns void; return the reply to publish");
		}
		List<Function<NsqMessage, Object>> resolvers = new ArrayList<>();
		boolean messaging = false;
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
			if (isHeaders(parameter)) {
				messaging = true;
				continue;
			}
			Type payloadType = parameter.getParameterizedType();
			boolean rawBody = false;
			if (Message.class.isAssignableFrom(type)) {
				messaging = true;
				ResolvableType generic = ResolvableType.forMethodParameter(MethodParameter.forParameter(parameter))
					.as(Message.class)
					.getGeneric();
				payloadType = generic.getType();
				rawBody = generic.resolve(Object.class) == Object.class;
			}
			messaging |= PlainPayloadArgumentResolver.isAnnotatedPayload(parameter.getAnnotations());
			if (!rawBody && (type.getName().startsWith(NSQ_J_PACKAGE) || !converter.canRead(payloadType))) {
				throw new IllegalArgumentException("its parameter '" + parameter.getName() + "' of type " + payloadType.getTypeName()
						+ " is not supported; use NsqMessage, String, byte[] or a type the NsqMessageConverter can read "
						+ "(a concrete class, a collection or a map), @Header, @Headers or Message<T>");
			}
			if (payload != null) {
				throw new IllegalArgumentException("it has two payload parameters ('" + payload.getName() + "' and '"
						+ parameter.getName() + "'); a listener method takes at most one payload parameter besides NsqMessage");
			}
			payload = parameter;
			resolvers.add(PayloadReader.forParameter(converter, parameter)::read);
		}
		Invoker invoker = messaging ? messagingInvoker(methodFactory.createInvocableHandlerMethod(bean, method))
				: directInvoker(bean, method, List.copyOf(resolvers));
		return new NsqListenerMethodAdapter(invoker, replies, method);
	}

	private static boolean isHeaders(Parameter parameter) {
		Class<?> type = parameter.getType();
		return parameter.isAnnotationPresent(Header.class) || parameter.isAnnotationPresent(Headers.class)
				|| MessageHeaders.class.isAssignableFrom(type) || MessageHeaderAccessor.class.isAssignableFrom(type);
	}

	private static Invoker directInvoker(Object bean, Method method, List<Function<NsqMessage, Object>> resolvers) {
		ReflectionUtils.makeAccessible(method);
		return (message) -> {
			Object[] arguments = new Object[resolvers.size()];
			for (int i = 0; i < arguments.length; i++) {
				arguments[i] = resolvers.get(i).apply(message);
			}
			try {
				return method.invoke(bean, arguments);
			}
			catch (InvocationTargetException ex) {
				throw rethrow(ex.getTargetException(), ex);
			}
		};
	}

	private static Invoker messagingInvoker(InvocableHandlerMethod invocable) {
		return (message) -> {
			try {
				return invocable.invoke(new NsqMessagingMessage(message));
			}
			catch (MethodArgumentResolutionException | MessageConversionException ex) {
				throw new NsqPayloadConversionException(ex.getMessage(), ex);
			}
		};
	}

	/**
	 * Invokes the method and handles its return value.
	 * @return the pending result of a method that returned a {@link CompletionStage}, or null when the
	 * handling is done
	 * @throws NsqPayloadConversionException when the payload cannot be converted or is invalid
	 * @throws Exception whatever the method throws, or a failed reply
	 */
	@Override
	public @Nullable CompletionStage<?> onMessageAsync(NsqMessage message) throws Exception {
		Object result = this.invoker.invoke(message);
		if (result instanceof CompletionStage<?> pending) {
			return (this.replies != null) ? pending.thenCompose(this.replies::publishAsync) : pending;
		}
		if (this.replies != null) {
			this.replies.publish(result);
		}
		return null;
	}

	/** Invokes the method, handles its return value and waits for a pending result. */
	@Override
	public void onMessage(NsqMessage message) throws Exception {
		CompletionStage<?> pending = onMessageAsync(message);
		if (pending != null) {
			try {
				pending.toCompletableFuture().get();
			}
			catch (ExecutionException ex) {
				throw rethrow(ex.getCause(), ex);
			}
		}
	}

	private static Exception rethrow(@Nullable Throwable cause, Exception wrapper) {
		if (cause instanceof Error error) {
			throw error;
		}
		return (cause instanceof Exception exception) ? exception : wrapper;
	}

	@Override
	public String toString() {
		return this.description;
	}

	@FunctionalInterface
	private interface Invoker {

		@Nullable Object invoke(NsqMessage message) throws Exception;

	}

}
