package io.github.nsqspring.listener.event;

import java.time.Duration;

import io.github.nsqspring.listener.ContainerEvents;
import io.github.nsqspring.listener.DrainReport;
import io.github.nsqspring.listener.NsqMessageListenerContainer;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes the events of listener containers through an {@link ApplicationEventPublisher}; the
 * auto-configuration sets one on the containers of its factories. Set it on a container or a factory built
 * by hand with {@code setContainerEvents}.
 */
public class NsqListenerContainerEventPublisher implements ContainerEvents {

	private final ApplicationEventPublisher publisher;

	public NsqListenerContainerEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void started(NsqMessageListenerContainer container) {
		this.publisher.publishEvent(new NsqListenerContainerStartedEvent(container));
	}

	@Override
	public void failedToStart(NsqMessageListenerContainer container, Throwable cause) {
		this.publisher.publishEvent(new NsqListenerContainerFailedToStartEvent(container, cause));
	}

	@Override
	public void stopped(NsqMessageListenerContainer container, DrainReport report) {
		this.publisher.publishEvent(new NsqListenerContainerStoppedEvent(container, report));
	}

	@Override
	public void idle(NsqMessageListenerContainer container, Duration idleTime, boolean paused) {
		this.publisher.publishEvent(new NsqListenerContainerIdleEvent(container, idleTime, paused));
	}

	@Override
	public void connectionLost(NsqMessageListenerContainer container, String nsqdAddress, Duration downtime) {
		this.publisher.publishEvent(new NsqListenerContainerConnectionLostEvent(container, nsqdAddress, downtime));
	}

	@Override
	public void connectionRestored(NsqMessageListenerContainer container, String nsqdAddress, Duration downtime) {
		this.publisher.publishEvent(new NsqListenerContainerConnectionRestoredEvent(container, nsqdAddress, downtime));
	}

}
