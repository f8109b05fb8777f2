package io.github.nsqspring.autoconfigure;

import java.util.List;

import io.github.nsqspring.listener.MessageObserver;
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

	private final List<MessageObserver> messageObservers;

	/**
	 * @param properties the bound {@code nsq.*} properties
	 * @param applicationName {@code spring.application.name}, the default channel when
	 * {@code nsq.consumer.default-channel} is not set (may be null)
	 * @param deadLetterHandler the application's dead-letter handler, or null for the default
	 * @param messageObservers observers of every container and outcome (metrics)
	 */
	public NsqListenerContainerFactoryConfigurer(NsqProperties properties, String applicationName,
			NsqDeadLetterHandler deadLetterHandler, List<MessageObserver> messageObservers) {
		this.properties = properties;
		this.applicationName = applicationName;
		this.deadLetterHandler = deadLetterHandler;
		this.messageObservers = List.copyOf(messageObservers);
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
		factory.setMessageObserver(MessageObserver.composite(this.messageObservers));
	}

}
