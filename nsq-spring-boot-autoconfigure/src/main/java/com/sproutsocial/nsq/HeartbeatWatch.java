package com.sproutsocial.nsq;

import java.time.Duration;
import java.util.Collection;

import org.jspecify.annotations.NullMarked;

/**
 * Closes a listener's connections to an nsqd that has sent nothing, not even a heartbeat, for two
 * heartbeat intervals: a frozen or cut-off nsqd. nsq-j 1.2 cannot tell: nsqd does not echo the heartbeat
 * interval in its IDENTIFY answer, so nsq-j assumes 30 s and notices only when its socket read times out
 * after 35 s. Runs on the client's scheduler every quarter interval (at least every 100 ms), so a
 * connection goes within about 2.25 intervals of nsqd's last word.
 */
@NullMarked
final class HeartbeatWatch implements Runnable {

	private static final long MIN_PERIOD_MILLIS = 100;

	private final Collection<FrameGuard> guards;

	private final int periodMillis;

	/**
	 * @param guards the guards of the open connections (a live view)
	 * @param heartbeatInterval the interval the listener asked nsqd for
	 */
	HeartbeatWatch(Collection<FrameGuard> guards, Duration heartbeatInterval) {
		this.guards = guards;
		this.periodMillis = (int) Math.max(MIN_PERIOD_MILLIS, heartbeatInterval.toMillis() / 4);
	}

	/** How often {@link #run()} should run. */
	int periodMillis() {
		return this.periodMillis;
	}

	@Override
	public void run() {
		long now = System.nanoTime();
		for (FrameGuard guard : this.guards) {
			if (guard.isSilentTooLong(now)) {
				guard.closeSilent();
			}
		}
	}

}
