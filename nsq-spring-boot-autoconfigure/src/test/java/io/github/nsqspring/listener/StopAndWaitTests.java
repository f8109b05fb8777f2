package io.github.nsqspring.listener;

import java.time.Duration;

import io.github.nsqspring.listener.NsqListenerRegistryTests.Behaviour;
import io.github.nsqspring.support.SnowflakeIdGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The synchronous stop of a container and of the registry is bounded by the shutdown timeout plus a margin. */
@ExtendWith(OutputCaptureExtension.class)
class StopAndWaitTests {

	@Test
	void containerThatNeverCallsBackIsLeftAfterTheBoundWithOneWarn(CapturedOutput output) {
		FakeContainer container = new FakeContainer(1, "stuck", Behaviour.NEVER_CALLS_BACK);
		container.start();
		long start = System.nanoTime();
		assertThat(StopAndWait.stopWithin(container, Duration.ofMillis(300))).isFalse();
		long tookMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(tookMillis).isBetween(300L, 5_000L);
		assertThat(container.stops).hasValue(1);
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN") && line.contains("FakeContainer[stuck]")
				&& line.contains("has not stopped within 300 ms"))).hasSize(1);
	}

	@Test
	void containerThatCallsBackInTimeReturnsWithoutAWarn(CapturedOutput output) {
		FakeContainer container = new FakeContainer(1, "quick", Behaviour.ASYNC);
		container.start();
		assertThat(StopAndWait.stopWithin(container, Duration.ofSeconds(10))).isTrue();
		assertThat(container.stops).hasValue(1);
		assertThat(output.getOut()).doesNotContain("has not stopped");
	}

	@Test
	void registryStopIsBoundedByTheLongestShutdownTimeoutOfItsContainersPlusTheMargin(CapturedOutput output) {
		NsqListenerRegistry registry = new NsqListenerRegistry(new SnowflakeIdGenerator(4));
		FakeContainer stuck = new FakeContainer(registry.nextContainerId(), "stuck", Behaviour.NEVER_CALLS_BACK);
		stuck.getContainerProperties().setShutdownTimeout(Duration.ofMillis(100));
		FakeContainer slower = new FakeContainer(registry.nextContainerId(), "slower", Behaviour.ASYNC);
		slower.getContainerProperties().setShutdownTimeout(Duration.ofMillis(500));
		registry.registerListenerContainer(stuck);
		registry.registerListenerContainer(slower);
		registry.start();
		long start = System.nanoTime();
		registry.stop();
		long tookMillis = (System.nanoTime() - start) / 1_000_000;
		long bound = Duration.ofMillis(500).plus(StopAndWait.MARGIN).toMillis();
		assertThat(tookMillis).isBetween(bound, bound + 3_000);
		assertThat(output.getOut().lines().filter((line) -> line.contains("has not stopped within " + bound + " ms")))
			.hasSize(1);
	}

}
