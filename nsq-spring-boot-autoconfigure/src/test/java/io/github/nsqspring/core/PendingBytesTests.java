package io.github.nsqspring.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PendingBytes} keeps pending publishes below the limit and lets one oversized publish through alone. */
class PendingBytesTests {

	private final PendingBytes pending = new PendingBytes(100);

	@Test
	void acquireBeyondTheLimitFailsAtTheDeadline() throws Exception {
		assertThat(this.pending.acquire(60, deadline(0))).isTrue();
		assertThat(this.pending.acquire(40, deadline(0))).isTrue();
		assertThat(this.pending.acquire(1, deadline(10))).isFalse();
		assertThat(this.pending.pending()).isEqualTo(100);
	}

	@Test
	void releaseWakesAWaitingPublish() throws Exception {
		assertThat(this.pending.acquire(100, deadline(0))).isTrue();
		CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
			try {
				return this.pending.acquire(50, deadline(10_000));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.pending.release(60);
		assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.pending.pending()).isEqualTo(90);
	}

	@Test
	void publishLargerThanTheLimitGoesAloneOnly() throws Exception {
		assertThat(this.pending.acquire(1, deadline(0))).isTrue();
		assertThat(this.pending.acquire(500, deadline(10))).isFalse();
		this.pending.release(1);
		assertThat(this.pending.acquire(500, deadline(0))).isTrue();
		assertThat(this.pending.pending()).isEqualTo(500);
	}

	private static long deadline(long millis) {
		return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
	}

}
