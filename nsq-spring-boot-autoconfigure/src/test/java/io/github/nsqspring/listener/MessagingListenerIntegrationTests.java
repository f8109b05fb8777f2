package io.github.nsqspring.listener;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqPayloadConversionException;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.support.NsqHeaders;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listener methods with spring-messaging's parameters and return values, against a real nsqd:
 * {@code @Payload @Valid}, {@code @Header(NsqHeaders.*)}, {@code Message<T>}, {@code CompletableFuture}
 * and {@code @SendTo}.
 */
class MessagingListenerIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private static final String CHANNEL = "messaging";

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, ValidationAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=" + CHANNEL,
					"nsq.consumer.backoff.initial=100ms");
	}

	private static NsqStats.ChannelStats channel(String topic) {
		return nsqd.stats().channel(topic, CHANNEL);
	}

	@Test
	void invalidPayloadIsDeadLetteredOnTheFirstAttempt() {
		nsqd.createChannel("msg-valid", CHANNEL);
		runner().withUserConfiguration(ValidatingListener.class, RecordingDeadLetters.class).run((context) -> {
			ValidatingListener listener = context.getBean(ValidatingListener.class);
			RecordingDeadLetters deadLetters = context.getBean(RecordingDeadLetters.class);
			nsqd.publish("msg-valid", "{\"id\":\"\",\"amount\":-1}");
			nsqd.publish("msg-valid", "{\"id\":\"o-1\",\"amount\":3}");
			await().untilAsserted(() -> {
				assertThat(listener.orders).containsExactly(new Order("o-1", 3));
				assertThat(deadLetters.attempts).containsExactly(1);
				assertThat(channel("msg-valid").depth()).isZero();
				assertThat(channel("msg-valid").inFlightCount()).isZero();
			});
			assertThat(channel("msg-valid").requeueCount()).isZero();
			assertThat(deadLetters.causes.get(0)).isInstanceOf(NsqPayloadConversionException.class)
				.hasMessageContaining("id")
				.hasMessageContaining("amount");
		});
	}

	@Test
	void headersSeeEveryAttempt() {
		nsqd.createChannel("msg-attempts", CHANNEL);
		runner().withUserConfiguration(RetryingListener.class).run((context) -> {
			RetryingListener listener = context.getBean(RetryingListener.class);
			nsqd.publish("msg-attempts", "retry me");
			await().untilAsserted(() -> {
				assertThat(listener.attempts).containsExactly(1, 2, 3);
				assertThat(channel("msg-attempts").inFlightCount()).isZero();
				assertThat(channel("msg-attempts").depth()).isZero();
			});
			assertThat(channel("msg-attempts").requeueCount()).isEqualTo(2);
			assertThat(listener.topics).containsOnly("msg-attempts");
			assertThat(listener.ids).hasSize(3).allSatisfy((id) -> assertThat(id).hasSize(16));
			assertThat(listener.ids.stream().distinct()).hasSize(1);
		});
	}

	@Test
	void messageParameterCarriesPayloadAndHeaders() {
		runner().withUserConfiguration(MessageListener.class).run((context) -> {
			MessageListener listener = context.getBean(MessageListener.class);
			Instant before = Instant.now();
			nsqd.publish("msg-message", "{\"id\":\"o-2\",\"amount\":7}");
			await().untilAsserted(() -> assertThat(listener.messages).hasSize(1));
			Message<Order> message = listener.messages.get(0);
			assertThat(message.getPayload()).isEqualTo(new Order("o-2", 7));
			assertThat(message.getHeaders().get(NsqHeaders.ID, String.class)).hasSize(16);
			assertThat(message.getHeaders().get(NsqHeaders.ATTEMPTS)).isEqualTo(1);
			assertThat(message.getHeaders().get(NsqHeaders.TOPIC)).isEqualTo("msg-message");
			assertThat(message.getHeaders().get(NsqHeaders.CHANNEL)).isEqualTo(CHANNEL);
			assertThat(message.getHeaders().get(NsqHeaders.TIMESTAMP, Instant.class)).isBetween(before.minusSeconds(1),
					Instant.now());
			await().untilAsserted(() -> assertThat(channel("msg-message").finishCount()).isEqualTo(1));
		});
	}

	@Test
	void rawMessageParametersCarryTheBody() {
		runner().withUserConfiguration(MessageListener.class).run((context) -> {
			MessageListener listener = context.getBean(MessageListener.class);
			nsqd.publish("msg-raw", "raw body");
			await().untilAsserted(() -> assertThat(listener.raw).hasSize(2));
			assertThat(listener.raw).allSatisfy((payload) -> assertThat(payload).isEqualTo("raw body".getBytes()));
		});
	}

	@Test
	void plainPayloadBesideAHeaderConvertsAsWithoutSpringMessaging() {
		runner().withUserConfiguration(NullableListener.class).run((context) -> {
			NullableListener listener = context.getBean(NullableListener.class);
			nsqd.publish("msg-nullable", "null");
			nsqd.publish("msg-nullable", "{\"id\":\"o-3\",\"amount\":1}");
			await().untilAsserted(() -> assertThat(listener.orders).containsExactly(Optional.empty(), Optional.of(new Order("o-3", 1))));
			assertThat(listener.attempts).containsExactly(1, 1);
		});
	}

	@Test
	void futureFinishesTheMessageWhenItCompletes() {
		runner().withUserConfiguration(FutureListener.class).run((context) -> {
			FutureListener listener = context.getBean(FutureListener.class);
			long published = System.nanoTime();
			nsqd.publish("msg-future", "later");
			await().until(() -> listener.returned.size() == 1);
			// the method has returned; its future completes 3 s after it was created
			assertThat(channel("msg-future").inFlightCount()).isEqualTo(1);
			assertThat(context.getBean(NsqListenerRegistry.class).getContainer("future").orElseThrow().getInFlightCount())
				.isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(channel("msg-future").finishCount()).isEqualTo(1);
				assertThat(channel("msg-future").inFlightCount()).isZero();
			});
			assertThat(Duration.ofNanos(System.nanoTime() - published)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
			assertThat(listener.completed).hasSize(1);
			assertThat(channel("msg-future").requeueCount()).isZero();
			assertThat(channel("msg-future").timeoutCount()).isZero();
		});
	}

	@Test
	void drainWaitsForAPendingFuture() {
		nsqd.createChannel("msg-future", CHANNEL);
		runner().withUserConfiguration(FutureListener.class).run((context) -> {
			FutureListener listener = context.getBean(FutureListener.class);
			nsqd.publish("msg-future", "drained");
			await().until(() -> listener.returned.size() == 1);
			assertThat(listener.completed).isEmpty();
			context.getBean(NsqListenerRegistry.class).getContainer("future").orElseThrow().stop();
			// stop() returned after the drain: it waited for the future, which finished the message
			assertThat(listener.completed).hasSize(1);
			await().untilAsserted(() -> {
				NsqStats.ChannelStats channel = channel("msg-future");
				assertThat(channel.inFlightCount()).isZero();
				assertThat(channel.depth()).isZero();
				assertThat(channel.requeueCount()).isZero();
				assertThat(channel.timeoutCount()).isZero();
			});
		});
	}

	@Test
	void drainRequeuesAFutureStillPendingAtTheShutdownTimeout() {
		nsqd.createChannel("msg-future", CHANNEL);
		runner().withPropertyValues("nsq.consumer.shutdown-timeout=1s")
			.withUserConfiguration(FutureListener.class)
			.run((context) -> {
				FutureListener listener = context.getBean(FutureListener.class);
				long depthBefore = channel("msg-future").depth();
				nsqd.publish("msg-future", "abandoned");
				await().until(() -> listener.returned.size() == 1);
				context.getBean(NsqListenerRegistry.class).getContainer("future").orElseThrow().stop();
				assertThat(listener.completed).isEmpty();
				await().untilAsserted(() -> {
					NsqStats.ChannelStats channel = channel("msg-future");
					assertThat(channel.inFlightCount()).isZero();
					assertThat(channel.depth()).isEqualTo(depthBefore + 1);
					assertThat(channel.requeueCount()).isEqualTo(1);
					assertThat(channel.timeoutCount()).isZero();
				});
				// the late completion is ignored
				await().until(() -> listener.completed.size() == 1);
				assertThat(channel("msg-future").finishCount()).isZero();
			});
	}

	@Test
	void replyIsOnNsqdBeforeTheMessageIsFinished() {
		nsqd.createChannel("msg-request", CHANNEL);
		nsqd.createChannel("msg-request-async", CHANNEL);
		runner().withUserConfiguration(ReplyingListener.class, ReplyJournal.class).run((context) -> {
			ReplyJournal journal = context.getBean(ReplyJournal.class);
			nsqd.publish("msg-request", "ping");
			nsqd.publish("msg-request-async", "ping");
			await().untilAsserted(() -> {
				assertThat(nsqd.stats().topic("msg-replies").messageCount()).isEqualTo(2);
				assertThat(channel("msg-request").finishCount()).isEqualTo(1);
				assertThat(channel("msg-request-async").finishCount()).isEqualTo(1);
			});
			// each reply was confirmed by nsqd while its request was still in flight, and finished after
			assertThat(journal.events).containsSubsequence("reply re: ping (request in flight 1)", "FINISHED msg-request");
			assertThat(journal.events).containsSubsequence("reply re: ping later (request in flight 1)",
					"FINISHED msg-request-async");
			assertThat(channel("msg-request").requeueCount()).isZero();
		});
	}

	@Test
	void failedReplyIsAFailedAttempt() {
		nsqd.createChannel("msg-oversized", CHANNEL);
		runner().withPropertyValues("nsq.producer.max-message-size=100")
			.withUserConfiguration(OversizedReplyListener.class, RecordingDeadLetters.class)
			.run((context) -> {
				OversizedReplyListener listener = context.getBean(OversizedReplyListener.class);
				RecordingDeadLetters deadLetters = context.getBean(RecordingDeadLetters.class);
				nsqd.publish("msg-oversized", "x");
				await().untilAsserted(() -> {
					assertThat(deadLetters.attempts).containsExactly(2);
					assertThat(channel("msg-oversized").depth()).isZero();
					assertThat(channel("msg-oversized").inFlightCount()).isZero();
				});
				assertThat(listener.calls).hasSize(2);
				assertThat(channel("msg-oversized").requeueCount()).isEqualTo(1);
				assertThat(deadLetters.causes.get(0)).isInstanceOf(IllegalArgumentException.class)
					.hasMessageContaining("msg-oversized-replies");
				assertThat(nsqd.stats().findTopic("msg-oversized-replies")).isEmpty();
			});
	}

	record Order(@NotBlank String id, @Positive int amount) {
	}

	@Configuration(proxyBeanMethods = false)
	static class ValidatingListener {

		final List<Order> orders = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "msg-valid")
		void onOrder(@Payload @Valid Order order) {
			this.orders.add(order);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingDeadLetters implements NsqDeadLetterHandler {

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		final List<Throwable> causes = new CopyOnWriteArrayList<>();

		@Override
		public void handle(NsqMessage message, Throwable cause) {
			this.attempts.add(message.attempts());
			this.causes.add(cause);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RetryingListener {

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		final List<String> topics = new CopyOnWriteArrayList<>();

		final List<String> ids = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "msg-attempts", maxAttempts = "3")
		void onMessage(@Payload String body, @Header(NsqHeaders.ATTEMPTS) int attempts, @Header(NsqHeaders.TOPIC) String topic,
				@Header(NsqHeaders.ID) String id) {
			this.attempts.add(attempts);
			this.topics.add(topic);
			this.ids.add(id);
			if (attempts < 3) {
				throw new IllegalStateException("attempt " + attempts + " fails");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NullableListener {

		final List<Optional<Order>> orders = new CopyOnWriteArrayList<>();

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "msg-nullable")
		void onOrder(@Nullable Order order, @Header(NsqHeaders.ATTEMPTS) int attempts) {
			this.orders.add(Optional.ofNullable(order));
			this.attempts.add(attempts);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MessageListener {

		final List<Message<Order>> messages = new CopyOnWriteArrayList<>();

		final List<Object> raw = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "msg-message")
		void onMessage(Message<Order> message) {
			this.messages.add(message);
		}

		@NsqListener(topic = "msg-raw", channel = "bytes")
		void onBytes(Message<byte[]> message) {
			this.raw.add(message.getPayload());
		}

		@NsqListener(topic = "msg-raw", channel = "any")
		void onAny(Message<?> message) {
			this.raw.add(message.getPayload());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FutureListener {

		final List<String> returned = new CopyOnWriteArrayList<>();

		final List<String> completed = new CopyOnWriteArrayList<>();

		@NsqListener(id = "future", topic = "msg-future")
		CompletableFuture<Void> onMessage(String body) {
			CompletableFuture<Void> result = CompletableFuture.runAsync(() -> this.completed.add(body),
					CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
			this.returned.add(body);
			return result;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ReplyingListener {

		@NsqListener(topic = "msg-request")
		@SendTo("msg-replies")
		String onRequest(String body) {
			return "re: " + body;
		}

		@NsqListener(topic = "msg-request-async")
		@SendTo("msg-replies")
		CompletableFuture<String> onAsyncRequest(String body) {
			return CompletableFuture.supplyAsync(() -> "re: " + body + " later",
					CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OversizedReplyListener {

		final List<String> calls = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "msg-oversized", maxAttempts = "2")
		@SendTo("msg-oversized-replies")
		String onRequest(String body) {
			this.calls.add(body);
			return body.repeat(200);
		}

	}

	/**
	 * Records, in order, each reply nsqd confirmed (with the in-flight count of its request's channel at
	 * that moment, read from nsqd) and each outcome of a request message.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ReplyJournal {

		final List<String> events = new CopyOnWriteArrayList<>();

		@Bean
		MessageObserver finishJournal() {
			return (properties, stats) -> (message, outcome, nanos) -> this.events.add(outcome + " " + message.topic());
		}

		@Bean
		static BeanPostProcessor replyJournal(ReplyJournal journal) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof NsqTemplate)) {
						return bean;
					}
					ProxyFactory proxy = new ProxyFactory(bean);
					proxy.setProxyTargetClass(true);
					proxy.addAdvice((MethodInterceptor) (invocation) -> {
						Object result = invocation.proceed();
						String method = invocation.getMethod().getName();
						Object reply = (invocation.getArguments().length == 2) ? invocation.getArguments()[1] : null;
						if (method.equals("send")) {
							journal.record(reply, "msg-request");
						}
						else if (method.equals("sendAsync")) {
							result = ((CompletableFuture<?>) result).thenRun(() -> journal.record(reply, "msg-request-async"));
						}
						return result;
					});
					return proxy.getProxy();
				}

			};
		}

		void record(Object reply, String requestTopic) {
			this.events.add("reply " + reply + " (request in flight " + channel(requestTopic).inFlightCount() + ")");
		}

	}

}
