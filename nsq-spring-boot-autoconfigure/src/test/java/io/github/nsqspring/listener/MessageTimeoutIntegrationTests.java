package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.annotation.AckMode;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handlers that outlive nsqd's message timeout (3 s here): auto-touch (also of a message whose listener
 * returned a future that completes later), and manual touch/finish/requeue.
 */
class MessageTimeoutIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withArguments("--msg-timeout=3s");

	static final AtomicInteger longCalls = new AtomicInteger();

	static final AtomicInteger longCompleted = new AtomicInteger();

	static final AtomicInteger futureCalls = new AtomicInteger();

	static final AtomicInteger futureCompleted = new AtomicInteger();

	static final BlockingQueue<NsqMessage> manual = new LinkedBlockingQueue<>();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=timeouts");
	}

	@Test
	void autoTouchKeepsAnEightSecondHandlerAlive() {
		nsqd.createChannel("long-handler", "timeouts");
		nsqd.publish("long-handler", "8 seconds of work");
		runner().withUserConfiguration(LongListener.class).run((context) -> {
			await().atMost(Duration.ofSeconds(20)).until(() -> longCompleted.get() == 1);
			Thread.sleep(500);
			assertThat(longCalls).hasValue(1);
			awaitFinishedWithoutTimeout("long-handler");
		});
	}

	@Test
	void autoTouchKeepsAMessageAliveUntilItsFutureCompletes() {
		nsqd.createChannel("long-future", "timeouts");
		nsqd.publish("long-future", "8 seconds until the future completes");
		runner().withUserConfiguration(FutureListener.class).run((context) -> {
			await().atMost(Duration.ofSeconds(20)).until(() -> futureCompleted.get() == 1);
			awaitFinishedWithoutTimeout("long-future");
			assertThat(futureCalls).hasValue(1);
		});
	}

	/** Waits until the channel has nothing in flight or waiting, with no timeout and no requeue. */
	private static void awaitFinishedWithoutTimeout(String topic) {
		await().untilAsserted(() -> {
			var channel = nsqd.stats().channel(topic, "timeouts");
			assertThat(channel.timeoutCount()).isZero();
			assertThat(channel.inFlightCount()).isZero();
			assertThat(channel.depth()).isZero();
			assertThat(channel.requeueCount()).isZero();
		});
	}

	@Test
	void manualModeTouchFinishAndRequeue() {
		nsqd.createChannel("manual", "timeouts");
		runner().withPropertyValues("nsq.consumer.auto-touch=false").withUserConfiguration(ManualListener.class).run((context) -> {
			NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("manual").orElseThrow();

			nsqd.publish("manual", "touched");
			NsqMessage touched = manual.poll(10, TimeUnit.SECONDS);
			assertThat(touched).isNotNull();
			for (int i = 0; i < 5; i++) {
				Thread.sleep(1000);
				touched.touch();
			}
			assertThat(container.getInFlightCount()).as("unacknowledged manual message counts as in flight").isEqualTo(1);
			assertThat(nsqd.stats().channel("manual", "timeouts").inFlightCount()).isEqualTo(1);
			touched.finish();
			await().untilAsserted(() -> assertThat(nsqd.stats().channel("manual", "timeouts").inFlightCount()).isZero());
			assertThat(container.getInFlightCount()).isZero();

			nsqd.publish("manual", "requeued");
			NsqMessage first = manual.poll(10, TimeUnit.SECONDS);
			assertThat(first.attempts()).isEqualTo(1);
			first.requeue(Duration.ofMillis(500));
			NsqMessage second = manual.poll(15, TimeUnit.SECONDS);
			assertThat(second).isNotNull();
			assertThat(second.id()).isEqualTo(first.id());
			assertThat(second.attempts()).isEqualTo(2);
			second.finish();
			first.finish();
			await().untilAsserted(() -> {
				var channel = nsqd.stats().channel("manual", "timeouts");
				assertThat(channel.inFlightCount()).isZero();
				assertThat(channel.depth()).isZero();
				assertThat(channel.requeueCount()).isEqualTo(1);
				assertThat(channel.timeoutCount()).as("touch() kept the first message alive past the 3 s timeout").isZero();
			});
			assertThat(manual).isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class LongListener {

		@NsqListener(topic = "long-handler")
		void handle(String body) throws InterruptedException {
			longCalls.incrementAndGet();
			Thread.sleep(8000);
			longCompleted.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FutureListener {

		@NsqListener(topic = "long-future")
		CompletableFuture<Void> handle(String body) {
			futureCalls.incrementAndGet();
			return CompletableFuture.runAsync(futureCompleted::incrementAndGet,
					CompletableFuture.delayedExecutor(8, TimeUnit.SECONDS));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ManualListener {

		@NsqListener(id = "manual", topic = "manual", ackMode = AckMode.MANUAL)
		void handle(NsqMessage message) {
			manual.add(message);
		}

	}

}
