package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;

/**
 * What one drain did: how many running handlers it waited for, how many messages it gave back to nsqd
 * unhandled, which messages it had to take from handlers still running at the timeout, how many
 * connections nsqd confirmed closing (CLOSE_WAIT) and how long it took.
 */
public record DrainReport(String listener, int handlersAwaited, long requeued, List<String> abandonedMessageIds,
		int connectionsClosed, Duration duration) {

	@Override
	public String toString() {
		return "listener '" + this.listener + "' drained in " + this.duration.toMillis() + " ms: " + this.handlersAwaited
				+ " running handler(s) awaited, " + this.requeued + " unstarted message(s) requeued, "
				+ this.abandonedMessageIds.size() + " requeued at the shutdown timeout" + (this.abandonedMessageIds.isEmpty()
						? "" : " " + this.abandonedMessageIds)
				+ ", " + this.connectionsClosed + " connection(s) confirmed CLOSE_WAIT";
	}

}
