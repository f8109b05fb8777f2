package io.github.nsqspring.listener.event;

import java.time.Duration;

import io.github.nsqspring.listener.NsqMessageListenerContainer;

/**
 * A container has a connection again (nsqd accepted its subscription) to an nsqd of an earlier
 * {@link NsqListenerContainerConnectionLostEvent}. Published on the one {@code nsq-container-watch} thread
 * of all containers.
 */
public class NsqListenerContainerConnectionRestoredEvent extends NsqListenerContainerEvent {

	private final String nsqdAddress;

	private final Duration downtime;

	public NsqListenerContainerConnectionRestoredEvent(NsqMessageListenerContainer container, String nsqdAddress,
			Duration downtime) {
		super(container);
		this.nsqdAddress = nsqdAddress;
		this.downtime = downtime;
	}

	/** The nsqd TCP address, {@code host:port}. */
	public String getNsqdAddress() {
		return this.nsqdAddress;
	}

	/** How long the connection was gone. */
	public Duration getDowntime() {
		return this.downtime;
	}

	@Override
	String details() {
		return ", nsqd=" + this.nsqdAddress + ", downtime=" + this.downtime;
	}

}
