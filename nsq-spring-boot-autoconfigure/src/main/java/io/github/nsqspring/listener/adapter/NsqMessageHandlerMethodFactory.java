package io.github.nsqspring.listener.adapter;

import java.util.List;

import io.github.nsqspring.core.NsqMessageConverter;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.validation.Validator;

/**
 * The {@link DefaultMessageHandlerMethodFactory} of {@code @NsqListener} methods: payloads convert with the
 * {@link NsqMessageConverter} (as for a method without spring-messaging annotations), {@code @Valid}
 * payloads are checked by the given {@link Validator}, {@code @Header} values are the
 * {@link io.github.nsqspring.support.NsqHeaders} and the headers of the message's envelope (for example
 * {@code @Header("traceparent")}), and an {@code NsqMessage} parameter is the delivered
 * message.
 */
public final class NsqMessageHandlerMethodFactory extends DefaultMessageHandlerMethodFactory {

	/**
	 * Creates an initialized factory.
	 * @param converter reads payloads
	 * @param validator checks {@code @Valid} payloads, or null for no validation
	 * @param beanFactory resolves placeholders in {@code @Header} default values, or null
	 */
	public NsqMessageHandlerMethodFactory(NsqMessageConverter converter, @Nullable Validator validator, @Nullable BeanFactory beanFactory) {
		setMessageConverter(new NsqMessagingConverter(converter));
		if (validator != null) {
			setValidator(validator);
		}
		if (beanFactory != null) {
			setBeanFactory(beanFactory);
		}
		setCustomArgumentResolvers(List.of(new NsqMessageArgumentResolver(), new PlainPayloadArgumentResolver(converter)));
		afterPropertiesSet();
	}

}
