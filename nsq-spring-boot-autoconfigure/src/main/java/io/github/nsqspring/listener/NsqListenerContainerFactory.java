package io.github.nsqspring.listener;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Creates listener containers with the application's defaults (connection, concurrency, retries,
 * drain), which each listener may override. The auto-configuration sets the defaults from {@code nsq.*}.
 */
public class NsqListenerContainerFactory {

	private Consumer<ContainerProperties> containerDefaults = (properties) -> {
	};

	private @Nullable String defaultChannel;

	private NsqDeadLetterHandler deadLetterHandler = new LoggingDeadLetterHandler();

	private @Nullable NsqErrorHandler errorHandler;

	private @Nullable Executor taskExecutor;

	private MessageObserver messageObserver = MessageObserver.NONE;

	private ContainerEvents containerEvents = ContainerEvents.NONE;

	private Consumer<NsqListenerContainer> containerCustomizer = (container) -> {
	};

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private @Nullable NsqListenerObservationConvention observationConvention;

	/**
	 * Creates a container: applies the defaults, then the listener's own settings, then the container
	 * customizer.
	 * @param id the container's snowflake id
	 * @param topic the topic
	 * @param channel the channel
	 * @param customizer the listener's overrides (name, concurrency, ...)
	 * @param listener the handler
	 */
	public NsqListenerContainer createContainer(long id, String topic, String channel, Consumer<ContainerProperties> customizer,
			NsqMessageListener listener) {
		return configure(new NsqListenerContainer(id, properties(topic, channel, customizer), listener, this.deadLetterHandler));
	}

	/**
	 * Creates the container of a batch listener, as {@link #createContainer} does; the batch settings
	 * ({@code batchMaxSize}, {@code batchMaxWait}) come from the defaults and the listener's overrides.
	 * @throws IllegalArgumentException when its max-in-flight is smaller than one batch, naming both values
	 */
	public NsqListenerContainer createBatchContainer(long id, String topic, String channel,
			Consumer<ContainerProperties> customizer, NsqBatchMessageListener listener) {
		return configure(NsqListenerContainer.forBatchListener(id, properties(topic, channel, customizer), listener,
				this.deadLetterHandler));
	}

	private ContainerProperties properties(String topic, String channel, Consumer<ContainerProperties> customizer) {
		ContainerProperties properties = new ContainerProperties(topic, channel);
		this.containerDefaults.accept(properties);
		properties.setErrorHandler(this.errorHandler);
		customizer.accept(properties);
		return properties;
	}

	private NsqListenerContainer configure(NsqListenerContainer container) {
		container.setTaskExecutor(this.taskExecutor);
		container.setMessageObserver(this.messageObserver);
		container.setContainerEvents(this.containerEvents);
		container.setObservationRegistry(this.observationRegistry);
		container.setObservationConvention(this.observationConvention);
		this.containerCustomizer.accept(container);
		return container;
	}

	/**
	 * Checks that the dead-letter handler can take the dead letters of a listener of this topic.
	 * @throws IllegalArgumentException when it cannot (an invalid dead-letter topic name, say)
	 */
	public void validateDeadLetterTarget(String topic) {
		this.deadLetterHandler.validateFor(topic);
	}

	/** Sets what every container starts from, before the listener's own settings. */
	public void setContainerDefaults(Consumer<ContainerProperties> containerDefaults) {
		this.containerDefaults = containerDefaults;
	}

	/**
	 * Adds defaults applied after those set so far and before the listener's own settings: a second
	 * factory configured like the auto-configured one, with other defaults of its own.
	 */
	public void addContainerDefaults(Consumer<ContainerProperties> containerDefaults) {
		this.containerDefaults = this.containerDefaults.andThen(containerDefaults);
	}

	/** Sets what is applied to every container created, after the listener's own settings, before it starts. */
	public void setContainerCustomizer(Consumer<NsqListenerContainer> containerCustomizer) {
		this.containerCustomizer = containerCustomizer;
	}

	/** The channel of listeners that name none, or null. */
	public @Nullable String getDefaultChannel() {
		return this.defaultChannel;
	}

	public void setDefaultChannel(@Nullable String defaultChannel) {
		this.defaultChannel = defaultChannel;
	}

	public void setDeadLetterHandler(NsqDeadLetterHandler deadLetterHandler) {
		this.deadLetterHandler = deadLetterHandler;
	}

	/**
	 * The retry policy of the containers whose listener names none; null (the default) for a
	 * {@link DefaultNsqErrorHandler} per container, built from its properties.
	 */
	public void setErrorHandler(@Nullable NsqErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/**
	 * Runs the handlers of every container (each at most its {@code concurrency} at once), such as a
	 * virtual-thread executor; null (the default) for a pool of each container run's own, with
	 * {@code concurrency} platform threads. Containers never shut it down.
	 */
	public void setTaskExecutor(@Nullable Executor taskExecutor) {
		this.taskExecutor = taskExecutor;
	}

	public void setMessageObserver(MessageObserver messageObserver) {
		this.messageObserver = messageObserver;
	}

	/**
	 * Who is told of the containers' events, such as {@code NsqListenerContainerEventPublisher}; default
	 * {@link ContainerEvents#NONE}: no events.
	 */
	public void setContainerEvents(ContainerEvents containerEvents) {
		this.containerEvents = containerEvents;
	}

	/** The registry of the containers' {@code nsq.listener} observations (default: no-op). */
	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

	/** The convention of those observations (default: {@code DefaultNsqListenerObservationConvention}). */
	public void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

}
