package io.github.nsqspring.listener.event;

import io.github.nsqspring.listener.NsqMessageListenerContainer;

/**
 * A container started: it subscribed and is RUNNING (connected, or looking for nsqd under
 * {@code nsq.consumer.startup-failure=continue}). Published on the thread that started it.
 */
public class NsqListenerContainerStartedEvent extends NsqListenerContainerEvent {

	public NsqListenerContainerStartedEvent(NsqMessageListenerContainer container) {
		super(container);
	}

}
