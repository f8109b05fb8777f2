package io.github.nsqspring.autoconfigure;

import java.time.Duration;

import io.github.nsqspring.core.NsqCompression;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.DefaultNsqErrorHandler;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** nsq.consumer.* IDENTIFY settings, flow backoff, jitter and not-retryable exceptions: defaults, binding, bad values. */
class ConsumerTuningPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class));

	@Test
	void defaults() {
		this.runner.run((context) -> {
			ContainerProperties container = container(context);
			assertThat(container.getMsgTimeout()).isNull();
			assertThat(container.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(container.getOutputBufferSize()).isEqualTo(DataSize.ofKilobytes(16));
			assertThat(container.getOutputBufferTimeout()).isEqualTo(Duration.ofMillis(250));
			assertThat(container.getSampleRate()).isZero();
			assertThat(container.getCompression()).isEqualTo(NsqCompression.NONE);
			assertThat(container.getDeflateLevel()).isEqualTo(6);
			assertThat(container.isFlowBackoff()).isFalse();
			assertThat(container.getFlowBackoffInitial()).isEqualTo(Duration.ofSeconds(1));
			assertThat(container.getFlowBackoffMax()).isEqualTo(Duration.ofMinutes(2));
			assertThat(container.getBackoffJitter()).isEqualTo(0.1);
			assertThat(container.getNotRetryableExceptions()).isEmpty();
		});
	}

	@Test
	void bindsEveryValue() {
		this.runner.withPropertyValues("nsq.consumer.msg-timeout=3s", "nsq.consumer.heartbeat-interval=10s",
				"nsq.consumer.output-buffer-size=4KB", "nsq.consumer.output-buffer-timeout=5ms", "nsq.consumer.sample-rate=50",
				"nsq.consumer.compression=deflate", "nsq.consumer.deflate-level=3", "nsq.consumer.flow-backoff.enabled=true",
				"nsq.consumer.flow-backoff.initial=200ms", "nsq.consumer.flow-backoff.max=10s", "nsq.consumer.backoff.jitter=0",
				"nsq.consumer.not-retryable-exceptions=java.lang.IllegalArgumentException,java.io.IOException")
			.run((context) -> {
				ContainerProperties container = container(context);
				assertThat(container.getMsgTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(container.getHeartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
				assertThat(container.getOutputBufferSize()).isEqualTo(DataSize.ofKilobytes(4));
				assertThat(container.getOutputBufferTimeout()).isEqualTo(Duration.ofMillis(5));
				assertThat(container.getSampleRate()).isEqualTo(50);
				assertThat(container.getCompression()).isEqualTo(NsqCompression.DEFLATE);
				assertThat(container.getDeflateLevel()).isEqualTo(3);
				assertThat(container.isFlowBackoff()).isTrue();
				assertThat(container.getFlowBackoffInitial()).isEqualTo(Duration.ofMillis(200));
				assertThat(container.getFlowBackoffMax()).isEqualTo(Duration.ofSeconds(10));
				assertThat(container.getNotRetryableExceptions()).containsExactly(IllegalArgumentException.class,
						java.io.IOException.class);
				// without jitter the requeue delays are exactly those of the exponential backoff
				DefaultNsqErrorHandler policy = DefaultNsqErrorHandler.of(container);
				assertThat(policy.backOffFor(1)).isEqualTo(Duration.ofSeconds(1));
				assertThat(policy.backOffFor(3)).isEqualTo(Duration.ofSeconds(4));
				assertThat(policy.backOffFor(100)).isEqualTo(Duration.ofSeconds(60));
				assertThat(policy.isNotRetryable(new IllegalStateException("wrapped", new IllegalArgumentException()))).isTrue();
				assertThat(policy.isNotRetryable(new IllegalStateException("alone"))).isFalse();
			});
	}

	@Test
	void sampleRateOf100NamesTheProperty() {
		assertStartupFails("nsq.consumer.sample-rate=100", "nsq.consumer.sample-rate: sampleRate must be between 0 and 99, not 100");
	}

	@Test
	void negativeOutputBufferTimeoutNamesTheProperty() {
		assertStartupFails("nsq.consumer.output-buffer-timeout=-5ms",
				"nsq.consumer.output-buffer-timeout: outputBufferTimeout must be at least 1ms, not PT-0.005S");
	}

	@Test
	void unknownCompressionNamesTheProperty() {
		assertStartupFails("nsq.consumer.compression=gzip", "nsq.consumer.compression");
	}

	@Test
	void deflateLevel10NamesTheProperty() {
		assertStartupFails("nsq.consumer.deflate-level=10", "nsq.consumer.deflate-level: deflateLevel must be between 1 and 9, not 10");
	}

	@Test
	void unknownExceptionClassNamesTheProperty() {
		assertStartupFails("nsq.consumer.not-retryable-exceptions=com.example.NoSuchException",
				"nsq.consumer.not-retryable-exceptions: notRetryableExceptions names class 'com.example.NoSuchException', "
						+ "which is not on the class path");
	}

	@Test
	void classThatIsNoThrowableNamesTheProperty() {
		assertStartupFails("nsq.consumer.not-retryable-exceptions=java.lang.String",
				"nsq.consumer.not-retryable-exceptions: notRetryableExceptions names class 'java.lang.String', which is not a Throwable");
	}

	@Test
	void jitterAboveOneNamesTheProperty() {
		assertStartupFails("nsq.consumer.backoff.jitter=1.5", "nsq.consumer.backoff.jitter: backoffJitter must be between 0 and 1, not 1.5");
	}

	@Test
	void shortMessageTimeoutNamesTheProperty() {
		assertStartupFails("nsq.consumer.msg-timeout=500ms", "nsq.consumer.msg-timeout: msgTimeout must be at least 1s, not PT0.5S");
	}

	@Test
	void tinyOutputBufferNamesTheProperty() {
		assertStartupFails("nsq.consumer.output-buffer-size=10B", "nsq.consumer.output-buffer-size: outputBufferSize must be at least 64B");
	}

	@Test
	void snappyWithoutSnappyJavaNamesThePropertyAndTheLibrary() {
		this.runner.withClassLoader(new FilteredClassLoader("org.xerial.snappy"))
			.withPropertyValues("nsq.consumer.compression=snappy")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining(
					"nsq.consumer.compression: snappy needs org.xerial.snappy:snappy-java on the class path"));
	}

	private void assertStartupFails(String property, String message) {
		this.runner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining(message);
		});
	}

	private static ContainerProperties container(AssertableApplicationContext context) {
		return context.getBean(NsqListenerContainerFactory.class).createContainer(1, "t", "c", (custom) -> {
		}, (message) -> {
		}).getContainerProperties();
	}

}
