package io.github.nsqspring.docs.snippets;

import java.time.Duration;

import io.github.nsqspring.delay.NsqDelayedMessages;

/** docs/delays.md. */
final class DelaySnippets {

	private DelaySnippets() {
	}

	static void delays(NsqDelayedMessages delayed, Order reminder) {
		// tag::delays[]
		String id = delayed.schedule("reminders", reminder, Duration.ofMinutes(30));   // or an Instant
		delayed.find(id);                 // Optional<ScheduledMessage>: topic, body, due time
		delayed.cancel(id);               // true while it waits; false when unknown, being published or published
		delayed.pending("reminders");     // scheduled and not yet published
		// end::delays[]
	}

}
