package io.github.nsqspring.listener;

import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** Tells a container's {@link ContainerEvents}; an exception it throws is logged, never passed on. */
final class ContainerEventSender {

	/** The container's logger, the category users configure. */
	private static final Log logger = LogFactory.getLog(NsqListenerContainer.class);

	private final String name;

	private volatile ContainerEvents events = ContainerEvents.NONE;

	ContainerEventSender(String name) {
		this.name = name;
	}

	void setEvents(ContainerEvents events) {
		this.events = (events != null) ? events : ContainerEvents.NONE;
	}

	/** Whether anyone is told: without, the container watches nothing. */
	boolean isEnabled() {
		return this.events != ContainerEvents.NONE;
	}

	void send(String event, Consumer<ContainerEvents> call) {
		try {
			call.accept(this.events);
		}
		catch (RuntimeException ex) {
			logger.warn("A listener of the " + event + " event of listener '" + this.name + "' failed: " + ex, ex);
		}
	}

}
