package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.listener.NsqListenerContainer;

/**
 * Customizes every container that the auto-configured {@code nsqListenerContainerFactory} creates, after
 * the listener's own settings and before the container starts (its {@code getContainerProperties()} may
 * still be changed). Several customizers run in {@link org.springframework.core.annotation.Order @Order}
 * / {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface NsqListenerContainerCustomizer {

	/** Customizes the container, which has not been started yet. */
	void customize(NsqListenerContainer container);

}
