package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Applies the {@link StartupFailurePolicy} to the containers the registry just started: which have no nsqd
 * connection (at once for {@link StartupFailurePolicy#STOP}, after waiting up to the timeout for
 * {@link StartupFailurePolicy#RETRY}), each with an exception naming the listener and what its addresses
 * answered.
 */
final class StartupConnectionCheck {

	private static final long POLL_MILLIS = 100;

	private final StartupFailurePolicy policy;

	private final Duration timeout;

	private final StartupDiagnosis diagnosis = new StartupDiagnosis();

	StartupConnectionCheck(StartupFailurePolicy policy, Duration timeout) {
		this.policy = policy;
		this.timeout = timeout;
	}

	/** The running containers without a connection, with why; empty when all have one, or under CONTINUE. */
	Map<NsqMessageListenerContainer, IllegalStateException> failures(List<NsqMessageListenerContainer> started) {
		if (this.policy == StartupFailurePolicy.CONTINUE) {
			return Map.of();
		}
		if (this.policy == StartupFailurePolicy.RETRY) {
			awaitConnections(started);
		}
		Map<NsqMessageListenerContainer, IllegalStateException> failures = new LinkedHashMap<>();
		for (NsqMessageListenerContainer container : unconnected(started)) {
			failures.put(container, new IllegalStateException("Listener '" + container.getName() + "' (" + container.getTopic()
					+ "/" + container.getChannel() + ") has no nsqd connection " + when() + ": "
					+ this.diagnosis.describe(container.getContainerProperties())));
		}
		return failures;
	}

	private String when() {
		return (this.policy == StartupFailurePolicy.RETRY)
				? "after nsq.consumer.startup-timeout=" + this.timeout + " (nsq.consumer.startup-failure=retry)"
				: "at startup (nsq.consumer.startup-failure=stop)";
	}

	private void awaitConnections(List<NsqMessageListenerContainer> started) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		try {
			while (!unconnected(started).isEmpty() && System.nanoTime() - deadline < 0) {
				TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static List<NsqMessageListenerContainer> unconnected(List<NsqMessageListenerContainer> started) {
		return started.stream().filter((container) -> container.isRunning() && container.getConnectionCount() == 0).toList();
	}

}
