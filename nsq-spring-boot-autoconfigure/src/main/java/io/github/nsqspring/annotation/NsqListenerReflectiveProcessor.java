package io.github.nsqspring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.concurrent.CompletionStage;

import io.github.nsqspring.core.NsqMessage;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;

/**
 * Ahead-of-time hints for {@link NsqListener} methods: the method is invoked reflectively, and its payload
 * parameter is bound by Jackson, so the payload type and the types it reaches get binding hints.
 */
class NsqListenerReflectiveProcessor extends SimpleReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	protected void registerMethodHint(ReflectionHints hints, Method method) {
		super.registerMethodHint(hints, method);
		for (Parameter parameter : method.getParameters()) {
			if (parameter.getType() != NsqMessage.class) {
				this.bindingRegistrar.registerReflectionHints(hints, parameter.getParameterizedType());
			}
		}
		Type reply = method.getGenericReturnType();
		if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
			// CompletableFuture<R> or CompletionStage<R>: the reply is R
			reply = (reply instanceof ParameterizedType future) ? future.getActualTypeArguments()[0] : Object.class;
		}
		if (reply != void.class && reply != Void.class && reply != Object.class) {
			// a @SendTo reply, written by the NsqMessageConverter
			this.bindingRegistrar.registerReflectionHints(hints, reply);
		}
	}

}
