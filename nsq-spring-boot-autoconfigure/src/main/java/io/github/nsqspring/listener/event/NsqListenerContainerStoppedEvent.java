package io.github.nsqspring.listener.event;

import io.github.nsqspring.listener.DrainReport;
import io.github.nsqspring.listener.NsqMessageListenerContainer;

/**
 * A container drained and is STOPPED. Published on its drain thread, before the callbacks of its stop run
 * (so before the application context goes on closing).
 */
public class NsqListenerContainerStoppedEvent extends NsqListenerContainerEvent {

	private final DrainReport drainReport;

	public NsqListenerContainerStoppedEvent(NsqMessageListenerContainer container, DrainReport drainReport) {
		super(container);
		this.drainReport = drainReport;
	}

	/** What the drain did. */
	public DrainReport getDrainReport() {
		return this.drainReport;
	}

	@Override
	String details() {
		return ", " + this.drainReport;
	}

}
