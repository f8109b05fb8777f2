package io.github.nsqspring.listener.event;

import java.time.Duration;

import io.github.nsqspring.listener.NsqMessageListenerContainer;

/**
 * A running container received no message for {@code nsq.consumer.idle-event-interval}; published again each
 * interval while none comes. Published on the one {@code nsq-container-watch} thread of all containers.
 */
public class NsqListenerContainerIdleEvent extends NsqListenerContainerEvent {

	private final Duration idleTime;

	private final boolean paused;

	public NsqListenerContainerIdleEvent(NsqMessageListenerContainer container, Duration idleTime, boolean paused) {
		super(container);
		this.idleTime = idleTime;
		this.paused = paused;
	}

	/** Time since the last message, or since the start when none came. */
	public Duration getIdleTime() {
		return this.idleTime;
	}

	/** Whether the container is paused (and so receives nothing). */
	public boolean isPaused() {
		return this.paused;
	}

	@Override
	String details() {
		return ", idleTime=" + this.idleTime + (this.paused ? ", paused" : "");
	}

}
