package io.github.nsqspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqSecurity;
import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.listener.ContainerEvents;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.DeadLetterTopicPublisher;
import io.github.nsqspring.listener.MessageObserver;
import io.github.nsqspring.listener.NsqDeadLetterHandler;
import io.github.nsqspring.listener.NsqErrorHandler;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.StringUtils;

/**
 * Applies {@code nsq.*} and the addresses of the {@link NsqConnectionDetails} to an
 * {@link NsqListenerContainerFactory}, for applications that declare their own factory bean (a second
 * one for {@code @NsqListener(containerFactory = ...)}, say) but want Boot's settings on it. {@code nsq.consumer.*} values override the defaults
 * of {@link ContainerProperties}, which also checks them; they are checked at startup, and a bad value
 * fails naming its property.
 */
public class NsqListenerContainerFactoryConfigurer {

	/** The name of the {@link Executor} bean that runs the listeners' handlers, when the application declares one. */
	public static final String TASK_EXECUTOR_BEAN_NAME = "nsqListenerTaskExecutor";

	private final NsqProperties properties;

	private final NsqConnectionDetails connectionDetails;

	private final @Nullable String applicationName;

	private final @Nullable NsqDeadLetterHandler deadLetterHandler;

	private @Nullable NsqErrorHandler errorHandler;

	private @Nullable Executor taskExecutor;

	private ContainerEvents containerEvents = ContainerEvents.NONE;

	private final List<MessageObserver> messageObservers;

	private final NsqSecurity security;

	private final ObservationRegistry observationRegistry;

	private final @Nullable NsqListenerObservationConvention observationConvention;

	/**
	 * @param properties the bound {@code nsq.*} properties
	 * @param connectionDetails the nsqd and nsqlookupd addresses the containers connect to
	 * @param applicationName {@code spring.application.name}, the default channel when
	 * {@code nsq.consumer.default-channel} is not set (may be null)
	 * @param deadLetterHandler the application's dead-letter handler, or null for the default: publish to
	 * {@code nsq.consumer.dead-letter-topic} when it is set, else log
	 * @param operations publishes to the dead-letter topic (may be null when no topic is set)
	 * @param messageObservers observers of every container and outcome (metrics)
	 * @param tls TLS of the consumers' nsqd connections ({@code nsq.ssl.*}), or null for plain TCP
	 * @param observationRegistry the registry of the {@code nsq.listener} observations of the containers that
	 * enable them ({@code nsq.consumer.observation-enabled})
	 * @param observationConvention their convention, or null for the default
	 */
	public NsqListenerContainerFactoryConfigurer(NsqProperties properties, NsqConnectionDetails connectionDetails,
			@Nullable String applicationName, @Nullable NsqDeadLetterHandler deadLetterHandler, @Nullable NsqOperations operations,
			List<MessageObserver> messageObservers, @Nullable NsqTls tls, ObservationRegistry observationRegistry,
			@Nullable NsqListenerObservationConvention observationConvention) {
		this.properties = properties;
		this.connectionDetails = connectionDetails;
		this.security = new NsqSecurity(tls, properties.getAuthSecret());
		this.applicationName = applicationName;
		this.deadLetterHandler = (deadLetterHandler != null) ? deadLetterHandler : topicPublisher(properties, operations);
		this.messageObservers = List.copyOf(messageObservers);
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
		// checks nsq.consumer.* at startup, also in an application without listeners
		applyConsumerProperties(new ContainerProperties("nsq-consumer-defaults", "nsq-consumer-defaults"));
	}

	private static @Nullable NsqDeadLetterHandler topicPublisher(NsqProperties properties, @Nullable NsqOperations operations) {
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

	/**
	 * The application's retry policy for the factories this configures; null (the default) for a
	 * {@link io.github.nsqspring.listener.DefaultNsqErrorHandler} per container from {@code nsq.consumer.*}.
	 */
	public void setErrorHandler(@Nullable NsqErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/**
	 * Runs the handlers of the containers of the factories this configures (the {@value #TASK_EXECUTOR_BEAN_NAME}
	 * bean, or virtual threads with {@code spring.threads.virtual.enabled}); null (the default) for a pool of
	 * each container run's own.
	 */
	public void setTaskExecutor(@Nullable Executor taskExecutor) {
		this.taskExecutor = taskExecutor;
	}

	/**
	 * Who is told of the events of the containers of the factories this configures: the auto-configuration's
	 * {@code NsqListenerContainerEventPublisher}; {@link ContainerEvents#NONE} (the default) for no events.
	 */
	public void setContainerEvents(ContainerEvents containerEvents) {
		this.containerEvents = containerEvents;
	}

	/**
	 * Sets the factory's default channel, its container defaults (the connection details' addresses and
	 * {@code nsq.consumer.*}), the error and dead-letter handlers and the message observers; add defaults of its own
	 * with {@link NsqListenerContainerFactory#addContainerDefaults} afterwards.
	 */
	public void configure(NsqListenerContainerFactory factory) {
		NsqProperties.Consumer consumer = this.properties.getConsumer();
		factory.setDefaultChannel(StringUtils.hasText(consumer.getDefaultChannel()) ? consumer.getDefaultChannel()
				: this.applicationName);
		factory.setContainerDefaults(this::applyConsumerProperties);
		if (this.deadLetterHandler != null) {
			factory.setDeadLetterHandler(this.deadLetterHandler);
		}
		factory.setErrorHandler(this.errorHandler);
		factory.setTaskExecutor(this.taskExecutor);
		factory.setMessageObserver(MessageObserver.composite(this.messageObservers));
		factory.setContainerEvents(this.containerEvents);
		factory.setObservationRegistry(this.observationRegistry);
		factory.setObservationConvention(this.observationConvention);
	}

	/**
	 * The connection (addresses, TLS, AUTH secret) and every {@code nsq.consumer.*} value that is set, onto
	 * a container's properties.
	 */
	private void applyConsumerProperties(ContainerProperties container) {
		NsqProperties.Consumer consumer = this.properties.getConsumer();
		connectionAddresses("getLookupdAddresses", this.connectionDetails.getLookupdAddresses(), container::setLookupdAddresses);
		connectionAddresses("getNsqdAddresses", this.connectionDetails.getNsqdAddresses(), container::setNsqdAddresses);
		container.setSecurity(this.security);
		PropertyMapper map = PropertyMapper.get();
		map.from(consumer::getLookupdPollInterval).to(named("lookupd-poll-interval", container::setLookupdPollInterval));
		map.from(consumer::getConcurrency).to(named("concurrency", container::setConcurrency));
		map.from(consumer::getMaxInFlight).to(named("max-in-flight", container::setMaxInFlight));
		map.from(consumer::getMaxAttempts).to(named("max-attempts", container::setMaxAttempts));
		map.from(consumer.getBackoff()::getInitial).to(named("backoff.initial", container::setBackoffInitial));
		map.from(consumer.getBackoff()::getMax).to(named("backoff.max", container::setBackoffMax));
		map.from(consumer::getShutdownTimeout).to(named("shutdown-timeout", container::setShutdownTimeout));
		map.from(consumer::getReconnectDelay).to(named("reconnect-delay", container::setReconnectDelay));
		map.from(consumer::getReconnectMaxDelay).to(named("reconnect-max-delay", container::setReconnectMaxDelay));
		map.from(consumer::getAutoTouch).to(container::setAutoTouch);
		map.from(consumer::getSkipEmptyMessages).to(container::setSkipEmptyMessages);
		map.from(consumer.getBackoff()::getJitter).to(named("backoff.jitter", container::setBackoffJitter));
		map.from(consumer::getNotRetryableExceptions)
			.to(named("not-retryable-exceptions", container::setNotRetryableExceptions));
		map.from(consumer.getFlowBackoff()::getEnabled).to(container::setFlowBackoff);
		map.from(consumer.getFlowBackoff()::getInitial).to(named("flow-backoff.initial", container::setFlowBackoffInitial));
		map.from(consumer.getFlowBackoff()::getMax).to(named("flow-backoff.max", container::setFlowBackoffMax));
		map.from(consumer.getBatch()::getMaxSize).to(named("batch.max-size", container::setBatchMaxSize));
		map.from(consumer.getBatch()::getMaxWait).to(named("batch.max-wait", container::setBatchMaxWait));
		map.from(consumer::getMsgTimeout).to(named("msg-timeout", container::setMsgTimeout));
		map.from(consumer::getHeartbeatInterval).to(named("heartbeat-interval", container::setHeartbeatInterval));
		map.from(consumer::getOutputBufferSize).to(named("output-buffer-size", container::setOutputBufferSize));
		map.from(consumer::getOutputBufferTimeout).to(named("output-buffer-timeout", container::setOutputBufferTimeout));
		map.from(consumer::getSampleRate).to(named("sample-rate", container::setSampleRate));
		map.from(consumer::getCompression).to(named("compression", container::setCompression));
		map.from(consumer::getDeflateLevel).to(named("deflate-level", container::setDeflateLevel));
		map.from(consumer::getObservationEnabled).to(container::setObservationEnabled);
		map.from(consumer::getBacklogAwareRdy).to(container::setBacklogAwareRdy);
		map.from(consumer::getIdleEventInterval).to(named("idle-event-interval", container::setIdleEventInterval));
		requireNotLarger("backoff.initial", container.getBackoffInitial(), "backoff.max", container.getBackoffMax());
		requireNotLarger("reconnect-delay", container.getReconnectDelay(), "reconnect-max-delay",
				container.getReconnectMaxDelay());
		requireNotLarger("flow-backoff.initial", container.getFlowBackoffInitial(), "flow-backoff.max",
				container.getFlowBackoffMax());
	}

	/** Sets addresses of the connection details; one the container refuses fails naming the bean and the method. */
	private void connectionAddresses(String method, List<String> addresses, Consumer<List<String>> setter) {
		try {
			setter.accept(addresses);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("NsqConnectionDetails bean (" + this.connectionDetails.getClass().getName()
					+ ") " + method + "(): " + ex.getMessage(), ex);
		}
	}

	private static void requireNotLarger(String first, Duration firstValue, String limit, Duration limitValue) {
		if (firstValue.compareTo(limitValue) > 0) {
			throw new IllegalArgumentException("nsq.consumer." + first + " (" + firstValue
					+ ") must not be larger than nsq.consumer." + limit + " (" + limitValue + ")");
		}
	}

	private static <T> Consumer<T> named(String property, Consumer<T> setter) {
		return (value) -> {
			try {
				setter.accept(value);
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				throw new IllegalArgumentException("nsq.consumer." + property + ": " + ex.getMessage(), ex);
			}
		};
	}

}
