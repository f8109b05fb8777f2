package io.github.nsqspring.listener.event;

import io.github.nsqspring.listener.NsqMessageListenerContainer;

/**
 * A container could not start (nsq-j refused an address, say), or the startup policy
 * ({@code nsq.consumer.startup-failure=stop|retry}) failed it because it had no nsqd connection.
 * Published on the thread that started it, before the exception is thrown.
 */
public class NsqListenerContainerFailedToStartEvent extends NsqListenerContainerEvent {

	private final Throwable cause;

	public NsqListenerContainerFailedToStartEvent(NsqMessageListenerContainer container, Throwable cause) {
		super(container);
		this.cause = cause;
	}

	/** Why: its message names the listener and each address with nsqd's or the socket's answer. */
	public Throwable getCause() {
		return this.cause;
	}

	@Override
	String details() {
		return ", cause=" + this.cause;
	}

}
