package io.github.nsqspring.listener.event;

import java.time.Duration;

import io.github.nsqspring.listener.NsqMessageListenerContainer;

/**
 * A running container's connection to an nsqd closed (nsqd stopped or died, the network failed, or nsqd
 * went silent for two heartbeat intervals) and was not back within one reconnect attempt: {@code reconnect-delay}
 * + 1 s for direct connections, {@code lookupd-poll-interval} + 1 s through nsqlookupd. Published on the one
 * {@code nsq-container-watch} thread of all containers, once per outage and nsqd.
 */
public class NsqListenerContainerConnectionLostEvent extends NsqListenerContainerEvent {

	private final String nsqdAddress;

	private final Duration downtime;

	public NsqListenerContainerConnectionLostEvent(NsqMessageListenerContainer container, String nsqdAddress,
			Duration downtime) {
		super(container);
		this.nsqdAddress = nsqdAddress;
		this.downtime = downtime;
	}

	/** The nsqd TCP address, {@code host:port}. */
	public String getNsqdAddress() {
		return this.nsqdAddress;
	}

	/** How long the connection has been gone. */
	public Duration getDowntime() {
		return this.downtime;
	}

	@Override
	String details() {
		return ", nsqd=" + this.nsqdAddress + ", downtime=" + this.downtime;
	}

}
