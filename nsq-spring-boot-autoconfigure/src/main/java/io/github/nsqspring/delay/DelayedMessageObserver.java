package io.github.nsqspring.delay;

import java.time.Instant;

/** Told about delayed messages the {@link DelayedMessagePoller} published, e.g. to record metrics. */
public interface DelayedMessageObserver {

	/**
	 * Called once nsqd acknowledged a delayed message and it was deleted from the store.
	 * @param message the message
	 * @param publishedAt when nsqd acknowledged it
	 */
	void published(ScheduledMessage message, Instant publishedAt);

}
