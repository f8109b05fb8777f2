package io.github.nsqspring.autoconfigure;

import java.util.List;

import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringUtils;

/**
 * Fails startup, just before the listener containers would start, when TLS ({@code nsq.ssl.*}) or AUTH
 * ({@code nsq.auth-secret}) is configured and there are listener containers: they do not use TLS or AUTH
 * yet, and must not consume in plaintext (or fail AUTH on every SUB) while the application asked for them.
 */
class NsqListenerSecurityCheck implements SmartLifecycle {

	private final NsqProperties properties;

	private final NsqListenerRegistry registry;

	private volatile boolean running;

	/**
	 * @param registry the listener containers, or {@code null} when there is no registry
	 */
	NsqListenerSecurityCheck(NsqProperties properties, NsqListenerRegistry registry) {
		this.properties = properties;
		this.registry = registry;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.registry == null || this.registry.getContainers().isEmpty()) {
			return;
		}
		String property = securityProperty();
		if (property != null) {
			List<String> listeners = this.registry.getContainers()
				.stream()
				.map((container) -> container.getName() + " (topic " + container.getTopic() + ")")
				.toList();
			throw new IllegalStateException(property + " is set, but NSQ listeners do not support TLS or AUTH yet: "
					+ "listeners " + listeners + " would consume without them. Remove " + property
					+ " or the listeners (publishing with NsqTemplate supports both).");
		}
	}

	private String securityProperty() {
		NsqProperties.Ssl ssl = this.properties.getSsl();
		if (StringUtils.hasText(ssl.getBundle())) {
			return "nsq.ssl.bundle";
		}
		if (ssl.isEnabled()) {
			return "nsq.ssl.enabled";
		}
		return StringUtils.hasText(this.properties.getAuthSecret()) ? "nsq.auth-secret" : null;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** Just before the registry, which starts the containers. */
	@Override
	public int getPhase() {
		return (this.registry != null) ? this.registry.getPhase() - 1 : 0;
	}

}
