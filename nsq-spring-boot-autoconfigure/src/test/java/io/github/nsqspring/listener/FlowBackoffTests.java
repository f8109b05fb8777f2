package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The levels, windows and probes of {@link FlowBackoff}, with RDY changes counted instead of sent. */
@ExtendWith(OutputCaptureExtension.class)
class FlowBackoffTests {

	private final AtomicInteger readyZeros = new AtomicInteger();

	private final AtomicInteger readyUpdates = new AtomicInteger();

	private final ListenerStats stats = new ListenerStats();

	private FlowBackoff backoff;

	@AfterEach
	void close() {
		this.backoff.close();
	}

	private FlowBackoff backoff(Duration initial, Duration max) {
		ContainerProperties properties = new ContainerProperties("unit-flow", "c");
		properties.setName("unit-flow");
		properties.setMaxInFlight(8);
		properties.setFlowBackoffInitial(initial);
		properties.setFlowBackoffMax(max);
		this.backoff = new FlowBackoff(properties, this.stats, this.readyZeros::incrementAndGet, this.readyUpdates::incrementAndGet);
		return this.backoff;
	}

	@Test
	void failuresRaiseTheLevelUpToTheMaximumAndSuccessesLowerIt(CapturedOutput output) {
		FlowBackoff backoff = backoff(Duration.ofMillis(50), Duration.ofMillis(100));
		assertThat(backoff.limit(8)).isEqualTo(8);
		backoff.failed();
		assertThat(this.stats.getBackoffLevel()).isEqualTo(1);
		assertThat(backoff.limit(8)).as("in the window").isZero();
		assertThat(this.readyZeros).hasValue(1);
		backoff.failed();
		backoff.succeeded();
		assertThat(this.stats.getBackoffLevel()).as("outcomes during a window do not count").isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> backoff.limit(8) == 1);
		backoff.failed();
		assertThat(this.stats.getBackoffLevel()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(5)).until(() -> backoff.limit(8) == 1);
		backoff.failed();
		assertThat(this.stats.getBackoffLevel()).as("100 ms is reached at level 2").isEqualTo(2);
		assertThat(backoff.limit(8)).isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> backoff.limit(8) == 1);
		backoff.succeeded();
		assertThat(this.stats.getBackoffLevel()).isEqualTo(1);
		assertThat(backoff.limit(8)).as("a lower level opens a window too").isZero();
		await().atMost(Duration.ofSeconds(5)).until(() -> backoff.limit(8) == 1);
		backoff.succeeded();
		assertThat(this.stats.getBackoffLevel()).isZero();
		assertThat(this.stats.getBackoffWindowMillis()).isZero();
		assertThat(backoff.limit(8)).isEqualTo(8);
		assertThat(this.readyZeros).as("one RDY 0 per window").hasValue(4);
		assertThat(output.getAll().split("backs off: level 2,", -1)).as("level 2 logged once").hasSize(2);
		assertThat(output.getAll().split("backs off: level 1,", -1)).as("level 1 on the way up and down").hasSize(3);
		assertThat(output.getAll()).contains("Listener 'unit-flow' recovered from flow backoff: RDY 8");
	}

	@Test
	void closingEndsTheLevel() {
		FlowBackoff backoff = backoff(Duration.ofMinutes(1), Duration.ofMinutes(2));
		backoff.failed();
		assertThat(this.stats.getBackoffWindowMillis()).isBetween(54_000L, 66_000L);
		backoff.close();
		assertThat(this.stats.getBackoffLevel()).isZero();
		backoff.failed();
		assertThat(this.stats.getBackoffLevel()).as("a failure after the drain closed it").isZero();
		assertThat(backoff.limit(3)).isEqualTo(3);
	}

}
