package io.github.nsqspring.listener;

/**
 * What the registry's start does when a listener container has no nsqd connection once started
 * ({@code nsq.consumer.startup-failure}).
 */
public enum StartupFailurePolicy {

	/** Start anyway and keep looking for nsqd (the containers retry and log as ever). */
	CONTINUE,

	/** Fail the start at once, naming each listener without a connection and what its addresses answered. */
	STOP,

	/** Wait up to the startup timeout until every listener has a connection, then fail as {@link #STOP} does. */
	RETRY

}
