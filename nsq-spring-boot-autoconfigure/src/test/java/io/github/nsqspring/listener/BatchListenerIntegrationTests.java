package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.nsqspring.annotation.AckMode;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqPayloadConversionException;
import io.github.nsqspring.support.NsqHeaders;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats.ChannelStats;
import io.github.nsqspring.test.NsqStats.ClientStats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Batch listeners against a real nsqd: every outcome, max-wait, max-in-flight and the drain, with nsqd's /stats as the ground truth. */
class BatchListenerIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final List<List<String>> batches = new CopyOnWriteArrayList<>();

	static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

	static final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

	@BeforeEach
	void clear() {
		batches.clear();
		deliveries.clear();
		deadLetters.clear();
	}

	private static ApplicationContextRunner runner(Class<?> listeners, String... properties) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=batches",
					"nsq.consumer.backoff.initial=300ms", "nsq.consumer.backoff.jitter=0")
			.withPropertyValues(properties)
			.withUserConfiguration(listeners, DeadLetters.class);
	}

	private static List<String> bodies(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + i).toList();
	}

	private static ChannelStats channel(String topic) {
		return nsqd.stats().channel(topic, "batches");
	}

	private static void awaitSettled(String topic) {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			ChannelStats channel = channel(topic);
			assertThat(channel.depth()).isZero();
			assertThat(channel.inFlightCount()).isZero();
			assertThat(channel.deferredCount()).isZero();
		});
	}

	@Nested
	class Outcomes {

		@Test
		void fullBatchesAreHandedOverAtMaxSizeAndFinishedOnReturn() {
			nsqd.createChannel("batch-orders", "batches");
			runner(OrderListener.class).run((context) -> {
				List<String> orders = IntStream.range(0, 250).mapToObj((i) -> "{\"id\":\"o" + i + "\",\"amount\":" + i + "}").toList();
				nsqd.publishBatch("batch-orders", orders);
				await().atMost(Duration.ofSeconds(20)).until(() -> batches.stream().mapToInt(List::size).sum() == 250);
				awaitSettled("batch-orders");
				assertThat(batches).allSatisfy((batch) -> assertThat(batch).hasSizeLessThanOrEqualTo(100));
				assertThat(batches.stream().filter((batch) -> batch.size() == 100)).as("full batches").hasSizeGreaterThanOrEqualTo(2);
				assertThat(batches.stream().flatMap(List::stream).sorted().toList())
					.isEqualTo(IntStream.range(0, 250).mapToObj((i) -> "o" + i).sorted().toList());
				ChannelStats channel = channel("batch-orders");
				assertThat(channel.requeueCount()).isZero();
				assertThat(channel.timeoutCount()).isZero();
				assertThat(channel.clients()).singleElement().satisfies((client) -> {
					assertThat(client.finishCount()).isEqualTo(250);
					assertThat(client.readyCount()).as("max-in-flight: concurrency x batch max-size").isEqualTo(100);
				});
			});
		}

		@Test
		void failureAtIndexSevenOfTwentyRedeliversExactlyThirteenWithOneFailureCounted() {
			nsqd.createChannel("batch-partial", "batches");
			runner(PartialFailureListener.class).run((context) -> {
				nsqd.publishBatch("batch-partial", bodies("m", 20));
				await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.size() == 33);
				awaitSettled("batch-partial");
				Thread.sleep(500);
				assertThat(deliveries).as("20 first deliveries and 13 redeliveries, nothing more").hasSize(33);
				List<Delivery> redelivered = deliveries.subList(20, 33);
				assertThat(redelivered).extracting(Delivery::body)
					.containsExactlyInAnyOrderElementsOf(bodies("m", 20).subList(7, 20));
				assertThat(redelivered).filteredOn((delivery) -> delivery.body().equals("m7")).singleElement()
					.as("the failed message: its failure counted").satisfies((delivery) -> assertThat(delivery.attempts()).isEqualTo(2));
				assertThat(redelivered).filteredOn((delivery) -> !delivery.body().equals("m7")).hasSize(12)
					.as("the messages after it: requeued without counting").allSatisfy((delivery) -> assertThat(delivery.attempts()).isEqualTo(1));
				ChannelStats channel = channel("batch-partial");
				assertThat(channel.requeueCount()).isEqualTo(13);
				assertThat(channel.timeoutCount()).isZero();
				ClientStats client = channel.clients().get(0);
				assertThat(client.messageCount()).as("deliveries nsqd made").isEqualTo(33);
				assertThat(client.finishCount()).isEqualTo(20);
				assertThat(deadLetters).isEmpty();
			});
		}

		@Test
		void anExceptionRetriesEachMessageByItsOwnAttemptsAndDeadLettersThemOneByOne() {
			nsqd.createChannel("batch-failing", "batches");
			runner(FailingListener.class).run((context) -> {
				nsqd.publishBatch("batch-failing", bodies("f", 3));
				await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.size() == 3);
				awaitSettled("batch-failing");
				assertThat(deadLetters).extracting(DeadLetter::body).containsExactlyInAnyOrder("f0", "f1", "f2");
				assertThat(deadLetters).allSatisfy((letter) -> {
					assertThat(letter.attempts()).isEqualTo(2);
					assertThat(letter.cause()).hasMessage("batch failed");
				});
				assertThat(deliveries).hasSize(6);
				ChannelStats channel = channel("batch-failing");
				assertThat(channel.requeueCount()).isEqualTo(3);
				assertThat(channel.clients().get(0).finishCount()).as("dead letters are finished").isEqualTo(3);
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("failing").orElseThrow();
				assertThat(container.getStats().getDeadLettered()).isEqualTo(3);
				assertThat(container.getStats().getRequeued()).isEqualTo(3);
			});
		}

		@Test
		void aPayloadThatCannotBeConvertedIsDeadLetteredAloneAndTheRestIsHandedOver() {
			nsqd.createChannel("batch-convert", "batches");
			runner(ConvertListener.class).run((context) -> {
				nsqd.publishBatch("batch-convert", List.of("{\"id\":\"a\",\"amount\":1}", "{\"id\":\"b\",\"amount\":2}", "{not json",
						"{\"id\":\"c\",\"amount\":3}", "{\"id\":\"d\",\"amount\":4}"));
				await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.size() == 1 && !batches.isEmpty());
				awaitSettled("batch-convert");
				assertThat(batches).containsExactly(List.of("a", "b", "c", "d"));
				assertThat(deadLetters).singleElement().satisfies((letter) -> {
					assertThat(letter.body()).isEqualTo("{not json");
					assertThat(letter.attempts()).isEqualTo(1);
					assertThat(letter.cause()).isInstanceOf(NsqPayloadConversionException.class);
				});
				assertThat(channel("batch-convert").requeueCount()).isZero();
			});
		}

		@Test
		void manualAcknowledgementHandsEveryMessageToTheListener() {
			nsqd.createChannel("batch-manual", "batches");
			runner(ManualListener.class).run((context) -> {
				nsqd.publishBatch("batch-manual", bodies("x", 4));
				await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.size() == 5);
				awaitSettled("batch-manual");
				Thread.sleep(500);
				assertThat(deliveries).hasSize(5);
				assertThat(deliveries.get(4).body()).as("the one the listener requeued itself").isEqualTo("x0");
				ChannelStats channel = channel("batch-manual");
				assertThat(channel.requeueCount()).isEqualTo(1);
				assertThat(channel.clients().get(0).finishCount()).isEqualTo(4);
			});
		}

		@Test
		void messagesAsSpringMessagesCarryTheirHeaders() {
			nsqd.createChannel("batch-messaging", "batches");
			runner(MessagingListener.class).run((context) -> {
				nsqd.publishBatch("batch-messaging", bodies("s", 3));
				await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.size() == 3);
				assertThat(deliveries).extracting(Delivery::body).containsExactlyInAnyOrder("s0", "s1", "s2");
				assertThat(deliveries).allSatisfy((delivery) -> assertThat(delivery.attempts()).isEqualTo(1));
				awaitSettled("batch-messaging");
			});
		}

	}

	@Nested
	class Settings {

		@Test
		void aMaxInFlightSmallerThanOneBatchFailsStartupNamingTheListenerAndBothValues() {
			runner(OrderListener.class, "nsq.consumer.max-in-flight=50").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("'orders'")
					.hasMessageContaining("max-in-flight 50")
					.hasMessageContaining("batch max-size 100");
			});
		}

		@Test
		void maxWaitHandsOverALoneMessageAfterMaxWait() {
			nsqd.createChannel("batch-lone", "batches");
			runner(LoneListener.class).run((context) -> {
				// connected: a first message comes through
				nsqd.publish("batch-lone", "warm-up");
				await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.size() == 1);
				List<Long> held = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					deliveries.clear();
					long published = System.nanoTime();
					nsqd.publish("batch-lone", "lone" + i);
					await().atMost(Duration.ofSeconds(5)).until(() -> deliveries.size() == 1);
					held.add(TimeUnit.NANOSECONDS.toMillis(deliveries.get(0).nanos() - published));
				}
				System.out.println("Lone message, publish to batch listener call with batch max-wait 200 ms: " + held + " ms");
				assertThat(held).allSatisfy((millis) -> assertThat(millis).isBetween(200L - 5, 200L + 250));
			});
		}

	}

	@Nested
	class Drain {

		@Test
		void closingWhileOneBatchRunsAndAnotherWaitsLosesAndDuplicatesNothing() throws Exception {
			nsqd.createChannel("batch-drain", "batches");
			SlowListener.started = new CountDownLatch(1);
			runner(SlowListener.class, "nsq.consumer.shutdown-timeout=20s").run((context) -> {
				nsqd.publishBatch("batch-drain", bodies("d", 20));
				assertThat(SlowListener.started.await(10, TimeUnit.SECONDS)).isTrue();
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("slow").orElseThrow();
				await().atMost(Duration.ofSeconds(5)).until(() -> container.getStats().getInFlight() == 20);
				context.close();
				DrainReport drain = container.getLastDrain();
				assertThat(drain).isNotNull();
				assertThat(drain.handlersAwaited()).as("messages of the running batch").isEqualTo(10);
				assertThat(drain.requeued()).as("messages of the waiting batch").isEqualTo(10);
				assertThat(drain.abandonedMessageIds()).isEmpty();
			});
			assertThat(batches).hasSize(1);
			List<String> handled = new ArrayList<>(batches.get(0));
			ChannelStats afterClose = channel("batch-drain");
			assertThat(afterClose.depth()).isEqualTo(10);
			assertThat(afterClose.requeueCount()).isEqualTo(10);
			assertThat(afterClose.inFlightCount()).isZero();
			assertThat(afterClose.timeoutCount()).isZero();
			batches.clear();
			runner(QuickListener.class).run((context) -> {
				await().atMost(Duration.ofSeconds(20)).until(() -> batches.stream().mapToInt(List::size).sum() == 10);
				awaitSettled("batch-drain");
			});
			batches.forEach(handled::addAll);
			assertThat(handled).as("each message handled once").containsExactlyInAnyOrderElementsOf(bodies("d", 20));
			assertThat(channel("batch-drain").timeoutCount()).isZero();
		}

		@Test
		void aBatchStillRunningAtTheShutdownTimeoutIsRequeuedWhole() throws Exception {
			nsqd.createChannel("batch-stuck", "batches");
			StuckListener.started = new CountDownLatch(1);
			StuckListener.interrupted = new CountDownLatch(1);
			runner(StuckListener.class, "nsq.consumer.shutdown-timeout=1s").run((context) -> {
				nsqd.publishBatch("batch-stuck", bodies("t", 10));
				assertThat(StuckListener.started.await(10, TimeUnit.SECONDS)).isTrue();
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("stuck").orElseThrow();
				context.close();
				DrainReport drain = container.getLastDrain();
				assertThat(drain).isNotNull();
				assertThat(drain.abandonedMessageIds()).hasSize(10);
				assertThat(StuckListener.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
			});
			ChannelStats channel = channel("batch-stuck");
			assertThat(channel.depth()).isEqualTo(10);
			assertThat(channel.requeueCount()).isEqualTo(10);
			assertThat(channel.inFlightCount()).isZero();
			assertThat(channel.timeoutCount()).isZero();
		}

	}

	record Order(String id, int amount) {
	}

	record Delivery(String id, String body, int attempts, long nanos) {

		static Delivery of(NsqMessage message) {
			return new Delivery(message.id(), new String(message.body()), message.attempts(), System.nanoTime());
		}

	}

	record DeadLetter(String body, int attempts, Throwable cause) {
	}

	@Configuration(proxyBeanMethods = false)
	static class DeadLetters {

		@Bean
		NsqDeadLetterHandler recordingDeadLetterHandler() {
			return (message, cause) -> deadLetters.add(new DeadLetter(new String(message.body()), message.attempts(), cause));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderListener {

		@NsqListener(id = "orders", topic = "batch-orders", batch = "true")
		void orders(List<Order> orders) {
			batches.add(orders.stream().map(Order::id).toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConvertListener {

		@NsqListener(topic = "batch-convert", batch = "${test.batch:true}", batchMaxSize = "5", batchMaxWait = "2s")
		void convert(List<Order> orders) {
			batches.add(orders.stream().map(Order::id).toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PartialFailureListener {

		@NsqListener(topic = "batch-partial", batch = "true", batchMaxSize = "20", batchMaxWait = "300ms")
		void handle(List<NsqMessage> messages) {
			messages.forEach((message) -> deliveries.add(Delivery.of(message)));
			if (messages.size() == 20) {
				throw new NsqBatchListenerFailedException(7, new IllegalStateException("m7 failed"));
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingListener {

		@NsqListener(id = "failing", topic = "batch-failing", batch = "true", batchMaxSize = "3", batchMaxWait = "300ms",
				maxAttempts = "2")
		void handle(List<NsqMessage> messages) {
			messages.forEach((message) -> deliveries.add(Delivery.of(message)));
			throw new IllegalStateException("batch failed");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ManualListener {

		static final Map<String, Boolean> requeuedOnce = new ConcurrentHashMap<>();

		@NsqListener(topic = "batch-manual", batch = "true", batchMaxSize = "4", batchMaxWait = "1s", ackMode = AckMode.MANUAL)
		void handle(List<NsqMessage> messages) {
			for (NsqMessage message : messages) {
				deliveries.add(Delivery.of(message));
				String body = new String(message.body());
				if (body.equals("x0") && requeuedOnce.putIfAbsent(body, true) == null) {
					message.requeue(Duration.ZERO);
				}
				else {
					message.finish();
				}
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MessagingListener {

		@NsqListener(topic = "batch-messaging", batch = "true", batchMaxSize = "3", batchMaxWait = "1s")
		void handle(List<Message<String>> messages) {
			messages.forEach((message) -> deliveries.add(new Delivery((String) message.getHeaders().get(NsqHeaders.ID),
					message.getPayload(), (Integer) message.getHeaders().get(NsqHeaders.ATTEMPTS), System.nanoTime())));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LoneListener {

		@NsqListener(topic = "batch-lone", batch = "true", batchMaxWait = "200ms")
		void handle(List<NsqMessage> messages) {
			messages.forEach((message) -> deliveries.add(Delivery.of(message)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowListener {

		static volatile CountDownLatch started = new CountDownLatch(1);

		@NsqListener(id = "slow", topic = "batch-drain", batch = "true", batchMaxSize = "10", batchMaxWait = "5s", maxInFlight = "20")
		void handle(List<String> bodies) throws InterruptedException {
			started.countDown();
			Thread.sleep(1500);
			batches.add(bodies);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class QuickListener {

		@NsqListener(topic = "batch-drain", batch = "true", batchMaxSize = "10", batchMaxWait = "200ms")
		void handle(List<String> bodies) {
			batches.add(bodies);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StuckListener {

		static volatile CountDownLatch started = new CountDownLatch(1);

		static volatile CountDownLatch interrupted = new CountDownLatch(1);

		@NsqListener(id = "stuck", topic = "batch-stuck", batch = "true", batchMaxSize = "10", batchMaxWait = "5s")
		void handle(List<String> bodies) {
			started.countDown();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
			}
		}

	}

}
