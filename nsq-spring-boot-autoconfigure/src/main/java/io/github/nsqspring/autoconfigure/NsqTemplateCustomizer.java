package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.core.NsqTemplate;

/**
 * Customizes the auto-configured {@link NsqTemplate} before it is used (its publish observer, say).
 * Several customizers run in {@link org.springframework.core.annotation.Order @Order} /
 * {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface NsqTemplateCustomizer {

	/** Customizes the template. */
	void customize(NsqTemplate template);

}
