package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Creates listener containers with the application's defaults (connection, concurrency, retries,
 * drain), which each listener may override. The auto-configuration fills it from {@code nsq.*}.
 */
public class NsqListenerContainerFactory {

	private List<String> lookupdAddresses = List.of();

	private List<String> nsqdAddresses = List.of();

	private Duration lookupdPollInterval = Duration.ofSeconds(15);

	private String defaultChannel;

	private int concurrency = 1;

	private Integer maxInFlight;

	private int maxAttempts = 5;

	private Duration backoffInitial = Duration.ofSeconds(1);

	private Duration backoffMax = Duration.ofSeconds(60);

	private Duration shutdownTimeout = Duration.ofSeconds(25);

	private boolean autoTouch = true;

	private boolean skipEmptyMessages = true;

	private NsqDeadLetterHandler deadLetterHandler = new LoggingDeadLetterHandler();

	private MessageObserver messageObserver = MessageObserver.NONE;

	/**
	 * Creates a container with the defaults, then applies the listener's own settings.
	 * @param id the container's snowflake id
	 * @param topic the topic
	 * @param channel the channel
	 * @param customizer the listener's overrides (name, concurrency, ...)
	 * @param listener the handler
	 */
	public NsqListenerContainer createContainer(long id, String topic, String channel, Consumer<ContainerProperties> customizer,
			NsqMessageListener listener) {
		ContainerProperties properties = new ContainerProperties(topic, channel);
		properties.setLookupdAddresses(this.lookupdAddresses);
		properties.setNsqdAddresses(this.nsqdAddresses);
		properties.setLookupdPollInterval(this.lookupdPollInterval);
		properties.setConcurrency(this.concurrency);
		properties.setMaxInFlight(this.maxInFlight);
		properties.setMaxAttempts(this.maxAttempts);
		properties.setBackoffInitial(this.backoffInitial);
		properties.setBackoffMax(this.backoffMax);
		properties.setShutdownTimeout(this.shutdownTimeout);
		properties.setAutoTouch(this.autoTouch);
		properties.setSkipEmptyMessages(this.skipEmptyMessages);
		customizer.accept(properties);
		NsqListenerContainer container = new NsqListenerContainer(id, properties, listener, this.deadLetterHandler);
		container.setMessageObserver(this.messageObserver);
		return container;
	}

	/** The channel of listeners that name none, or null. */
	public String getDefaultChannel() {
		return this.defaultChannel;
	}

	public void setDefaultChannel(String defaultChannel) {
		this.defaultChannel = defaultChannel;
	}

	public void setLookupdAddresses(List<String> lookupdAddresses) {
		this.lookupdAddresses = List.copyOf(lookupdAddresses);
	}

	public void setNsqdAddresses(List<String> nsqdAddresses) {
		this.nsqdAddresses = List.copyOf(nsqdAddresses);
	}

	public void setLookupdPollInterval(Duration lookupdPollInterval) {
		this.lookupdPollInterval = lookupdPollInterval;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public void setMaxInFlight(Integer maxInFlight) {
		this.maxInFlight = maxInFlight;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public void setBackoffInitial(Duration backoffInitial) {
		this.backoffInitial = backoffInitial;
	}

	public void setBackoffMax(Duration backoffMax) {
		this.backoffMax = backoffMax;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public void setAutoTouch(boolean autoTouch) {
		this.autoTouch = autoTouch;
	}

	public void setSkipEmptyMessages(boolean skipEmptyMessages) {
		this.skipEmptyMessages = skipEmptyMessages;
	}

	public void setDeadLetterHandler(NsqDeadLetterHandler deadLetterHandler) {
		this.deadLetterHandler = deadLetterHandler;
	}

	public void setMessageObserver(MessageObserver messageObserver) {
		this.messageObserver = messageObserver;
	}

}
