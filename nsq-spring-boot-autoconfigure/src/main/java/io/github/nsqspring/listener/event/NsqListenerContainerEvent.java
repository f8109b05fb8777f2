package io.github.nsqspring.listener.event;

import io.github.nsqspring.listener.NsqMessageListenerContainer;

import org.springframework.context.ApplicationEvent;

/** The base of the events of a listener container; the container is the source. */
public abstract class NsqListenerContainerEvent extends ApplicationEvent {

	protected NsqListenerContainerEvent(NsqMessageListenerContainer container) {
		super(container);
	}

	/** The container the event is about. */
	public NsqMessageListenerContainer getContainer() {
		return (NsqMessageListenerContainer) getSource();
	}

	/** The container's listener id (name). */
	public String getListenerId() {
		return getContainer().getName();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + " [listener=" + getListenerId() + ", topic=" + getContainer().getTopic()
				+ ", channel=" + getContainer().getChannel() + details() + "]";
	}

	/** What the event carries besides the container, for {@link #toString()}. */
	String details() {
		return "";
	}

}
