package io.github.nsqspring.listener;

/** What happened to a delivered message, also the {@code result} tag of the listener metrics. */
public enum MessageOutcome {

	/** FIN after the handler succeeded (or an empty body was skipped). */
	FINISHED("finished"),

	/** REQ, with backoff, after the handler failed or by the handler itself. */
	REQUEUED("requeued"),

	/** Handed to the dead-letter handler, then FIN. */
	DEAD_LETTERED("dead-lettered"),

	/** REQ with no delay because the container stopped before (or while) handling it. */
	REQUEUED_ON_SHUTDOWN("requeued-on-shutdown");

	private final String tagValue;

	MessageOutcome(String tagValue) {
		this.tagValue = tagValue;
	}

	/** The lower-case name used as a metric tag value. */
	public String tagValue() {
		return this.tagValue;
	}

}
