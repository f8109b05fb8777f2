package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.listener.NsqDeadLetterHandler;
import io.github.nsqspring.listener.NsqListenerContainerFactory;

import org.springframework.util.StringUtils;

/**
 * Applies {@code nsq.*} to an {@link NsqListenerContainerFactory}, for applications that declare their
 * own factory bean but want Boot's settings on it.
 */
public class NsqListenerContainerFactoryConfigurer {

	private final NsqProperties properties;

	private final String applicationName;

	private final NsqDeadLetterHandler deadLetterHandler;

	/**
	 * @param properties the bound {@code nsq.*} properties
	 * @param applicationName {@code spring.application.name}, the default channel when
	 * {@code nsq.consumer.default-channel} is not set (may be null)
	 * @param deadLetterHandler the application's dead-letter handler, or null for the default
	 */
	public NsqListenerContainerFactoryConfigurer(NsqProperties properties, String applicationName,
			NsqDeadLetterHandler deadLetterHandler) {
		this.properties = properties;
		this.applicationName = applicationName;
		this.deadLetterHandler = deadLetterHandler;
	}

	public void configure(NsqListenerContainerFactory factory) {
		NsqProperties.Consumer consumer = this.properties.getConsumer();
		factory.setLookupdAddresses(this.properties.getLookupdAddresses());
		factory.setNsqdAddresses(this.properties.getNsqdAddresses());
		factory.setLookupdPollInterval(consumer.getLookupdPollInterval());
		factory.setDefaultChannel(StringUtils.hasText(consumer.getDefaultChannel()) ? consumer.getDefaultChannel()
				: this.applicationName);
		factory.setConcurrency(consumer.getConcurrency());
		factory.setMaxInFlight(consumer.getMaxInFlight());
		factory.setMaxAttempts(consumer.getMaxAttempts());
		factory.setBackoffInitial(consumer.getBackoff().getInitial());
		factory.setBackoffMax(consumer.getBackoff().getMax());
		factory.setShutdownTimeout(consumer.getShutdownTimeout());
		factory.setAutoTouch(consumer.isAutoTouch());
		factory.setSkipEmptyMessages(consumer.isSkipEmptyMessages());
		if (this.deadLetterHandler != null) {
			factory.setDeadLetterHandler(this.deadLetterHandler);
		}
	}

}
