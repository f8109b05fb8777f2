package io.github.nsqspring.autoconfigure;

import java.util.List;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.DeadLetterTopicPublisher;
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
	 * @param deadLetterHandler the application's dead-letter handler, or null for the default: publish to
	 * {@code nsq.consumer.dead-letter-topic} when it is set, else log
	 * @param operations publishes to the dead-letter topic (may be null when no topic is set)
	 * @param messageObservers observers of every container and outcome (metrics)
	 */
	public NsqListenerContainerFactoryConfigurer(NsqProperties properties, String applicationName,
			NsqDeadLetterHandler deadLetterHandler, NsqOperations operations, List<MessageObserver> messageObservers) {
		this.properties = properties;
		this.applicationName = applicationName;
		this.deadLetterHandler = (deadLetterHandler != null) ? deadLetterHandler : topicPublisher(properties, operations);
		this.messageObservers = List.copyOf(messageObservers);
	}

	private static NsqDeadLetterHandler topicPublisher(NsqProperties properties, NsqOperations operations) {
		String topic = properties.getConsumer().getDeadLetterTopic();
		if (!StringUtils.hasText(topic)) {
			return null;
		}
		if (operations == null) {
			throw new IllegalStateException("nsq.consumer.dead-letter-topic is set to '" + topic
					+ "' but there is no NsqOperations bean to publish dead letters with");
		}
		try {
			return new DeadLetterTopicPublisher(operations, topic);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("nsq.consumer.dead-letter-topic '" + topic + "' is invalid: " + ex.getMessage(), ex);
		}
	}

	public void configure(NsqListenerContainerFactory factory) {
		NsqProperties.Consumer consumer = this.properties.getConsumer();
		factory.setDefaultChannel(StringUtils.hasText(consumer.getDefaultChannel()) ? consumer.getDefaultChannel()
				: this.applicationName);
		factory.setContainerDefaults((container) -> {
			container.setLookupdAddresses(this.properties.getLookupdAddresses());
			container.setNsqdAddresses(this.properties.getNsqdAddresses());
			container.setLookupdPollInterval(consumer.getLookupdPollInterval());
			container.setConcurrency(consumer.getConcurrency());
			container.setMaxInFlight(consumer.getMaxInFlight());
			container.setMaxAttempts(consumer.getMaxAttempts());
			container.setBackoffInitial(consumer.getBackoff().getInitial());
			container.setBackoffMax(consumer.getBackoff().getMax());
			container.setShutdownTimeout(consumer.getShutdownTimeout());
			container.setAutoTouch(consumer.isAutoTouch());
			container.setSkipEmptyMessages(consumer.isSkipEmptyMessages());
		});
		if (this.deadLetterHandler != null) {
			factory.setDeadLetterHandler(this.deadLetterHandler);
		}
		factory.setMessageObserver(MessageObserver.composite(this.messageObservers));
	}

}
