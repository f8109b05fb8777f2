package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A handler that outlives the shutdown timeout: its message goes back to nsqd at once, not after msg-timeout. */
@ExtendWith(OutputCaptureExtension.class)
class DrainTimeoutIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final CountDownLatch slowStarted = new CountDownLatch(1);

	static final AtomicBoolean slowInterrupted = new AtomicBoolean();

	static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

	@Test
	void messageOfHandlerRunningAtTheTimeoutIsRequeuedAtOnce(CapturedOutput output) {
		nsqd.createChannel("slow-topic", "work");
		nsqd.publish("slow-topic", "long job");
		ApplicationContextRunner base = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "nsq.consumer.default-channel=work");
		base.withPropertyValues("nsq.consumer.shutdown-timeout=2s").withUserConfiguration(SlowListener.class).run((slow) -> {
			assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
			base.withUserConfiguration(OtherConsumer.class).run((other) -> {
				long closeStart = System.nanoTime();
				slow.close();
				long closeEnd = System.nanoTime();
				assertThat(Duration.ofNanos(closeEnd - closeStart)).as("close time with a 2 s shutdown timeout")
					.isLessThan(Duration.ofMillis(2000 + 1500));

				Received redelivered = received.poll(10, TimeUnit.SECONDS);
				assertThat(redelivered).isNotNull();
				assertThat(Duration.ofNanos(redelivered.nanos() - closeEnd)).as("redelivery after close")
					.isLessThan(Duration.ofSeconds(1));
				assertThat(redelivered.attempts()).isEqualTo(2);
				assertThat(redelivered.body()).isEqualTo("long job");
				assertThat(slowInterrupted).isTrue();
				assertThat(output).contains("WARN").contains("Listener 'slow-listener'").contains(redelivered.id());
				await().untilAsserted(() -> {
					var channel = nsqd.stats().channel("slow-topic", "work");
					assertThat(channel.inFlightCount()).isZero();
					assertThat(channel.depth()).isZero();
					assertThat(channel.timeoutCount()).isZero();
					assertThat(channel.requeueCount()).isEqualTo(1);
				});
			});
		});
	}

	record Received(String id, int attempts, String body, long nanos) {
	}

	@Configuration(proxyBeanMethods = false)
	static class SlowListener {

		@NsqListener(id = "slow-listener", topic = "slow-topic")
		void handle(String body) {
			slowStarted.countDown();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				slowInterrupted.set(true);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherConsumer {

		@NsqListener(topic = "slow-topic")
		void handle(String body, NsqMessage message) {
			received.add(new Received(message.id(), message.attempts(), body, System.nanoTime()));
		}

	}

}
