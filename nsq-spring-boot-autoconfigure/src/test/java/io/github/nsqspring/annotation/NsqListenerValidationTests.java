package io.github.nsqspring.annotation;

import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.support.NsqHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad {@code @NsqListener} declarations fail startup, naming the bean, the method and the problem. */
class NsqListenerValidationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
		.withPropertyValues("spring.application.name=validation", "nsq.nsqd-addresses=127.0.0.1:1");

	/** The exception Spring reports at startup: the one that names bean and method. */
	private static Throwable failure(AssertableApplicationContext context) {
		Throwable failure = context.getStartupFailure();
		assertThat(failure).isNotNull();
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (current instanceof BeanInitializationException) {
				return current;
			}
		}
		throw new AssertionError("No BeanInitializationException in " + failure, failure);
	}

	private void assertFails(Class<?> listener, String method, String... problem) {
		this.runner.withBean("badListener", listener).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(failure(context))
				.hasMessageContaining("bean 'badListener'")
				.hasMessageContaining(listener.getName() + "." + method);
			for (String text : problem) {
				assertThat(failure(context)).hasMessageContaining(text);
			}
		});
	}

	@Test
	void listenerOnAPrototypeBean() {
		this.runner.withBean("badListener", ValidListener.class, ValidListener::new, (definition) -> definition.setScope("prototype"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(failure(context)).hasMessageContaining("bean 'badListener'")
					.hasMessageContaining(ValidListener.class.getName() + ".handle")
					.hasMessageContaining("scope 'prototype'");
			});
	}

	@Test
	void listenerOnAScopedProxyIsRegisteredOnceOnTheProxy() {
		this.runner.withUserConfiguration(ScopedProxyListener.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(NsqListenerRegistry.class).getContainers()).singleElement()
				.satisfies((container) -> assertThat(container.getTopic()).isEqualTo("scoped"));
		});
	}

	@Test
	void containerFactoryNamingNoBean() {
		this.runner.withPropertyValues("app.factory=noSuchFactory")
			.withBean("badListener", NamedFactory.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("bean 'badListener'")
				.hasMessageContaining(NamedFactory.class.getName() + ".handle")
				.hasMessageContaining("its containerFactory 'noSuchFactory' names no bean"));
	}

	@Test
	void containerFactoryNamingABeanOfAnotherType() {
		this.runner.withPropertyValues("app.factory=notAFactory")
			.withBean("notAFactory", StringBuilder.class)
			.withBean("badListener", NamedFactory.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("bean 'badListener'")
				.hasMessageContaining(NamedFactory.class.getName() + ".handle")
				.hasMessageContaining("its containerFactory 'notAFactory' is a java.lang.StringBuilder, not an "
						+ "NsqListenerContainerFactory"));
	}

	@Test
	void errorHandlerNamingNoBean() {
		this.runner.withPropertyValues("app.errors=noSuchHandler")
			.withBean("badListener", NamedErrorHandler.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("bean 'badListener'")
				.hasMessageContaining(NamedErrorHandler.class.getName() + ".handle")
				.hasMessageContaining("its errorHandler 'noSuchHandler' names no bean"));
	}

	@Test
	void errorHandlerNamingABeanOfAnotherType() {
		this.runner.withPropertyValues("app.errors=notAHandler")
			.withBean("notAHandler", StringBuilder.class)
			.withBean("badListener", NamedErrorHandler.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("bean 'badListener'")
				.hasMessageContaining(NamedErrorHandler.class.getName() + ".handle")
				.hasMessageContaining("its errorHandler 'notAHandler' is a java.lang.StringBuilder, not an NsqErrorHandler"));
	}

	@Test
	void invalidTopic() {
		assertFails(InvalidTopic.class, "handle", "Invalid NSQ topic name 'orders/eu'");
	}

	@Test
	void invalidChannelFromPlaceholder() {
		this.runner.withPropertyValues("app.channel=bad channel")
			.withBean("badListener", InvalidChannel.class)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("bean 'badListener'")
				.hasMessageContaining("InvalidChannel.handle")
				.hasMessageContaining("Invalid NSQ channel name 'bad channel'"));
	}

	@Test
	void twoPayloadParameters() {
		assertFails(TwoPayloads.class, "handle", "two payload parameters", "'first'", "'second'");
	}

	@Test
	void unsupportedParameterType() {
		assertFails(UnsupportedParameter.class, "handle", "parameter 'task' of type java.lang.Runnable is not supported");
	}

	@Test
	void nsqJMessageParameterIsRejected() {
		assertFails(NsqJMessageParameter.class, "handle", "com.sproutsocial.nsq.Message is not supported", "NsqMessage");
	}

	@Test
	void twoPayloadParametersWithSpringMessaging() {
		assertFails(TwoMessagingPayloads.class, "handle", "two payload parameters", "'order'", "'message'");
	}

	@Test
	void unsupportedPayloadTypeWithSpringMessaging() {
		assertFails(UnsupportedMessagingPayload.class, "handle", "parameter 'task' of type java.lang.Runnable is not supported");
	}

	@Test
	void sendToOnAVoidMethod() {
		assertFails(SendToVoid.class, "handle", "@SendTo(\"replies\") but returns void");
	}

	@Test
	void sendToWithTwoTopics() {
		assertFails(SendToTwoTopics.class, "handle", "its @SendTo names 2 topics");
	}

	@Test
	void sendToWithAnInvalidTopic() {
		assertFails(SendToInvalidTopic.class, "handle", "Invalid NSQ topic name 're plies'");
	}

	@Test
	void sendToWithoutNsqOperations() {
		this.runner.withBean(BeanFactoryPostProcessor.class, () -> (beanFactory) -> ((BeanDefinitionRegistry) beanFactory)
				.removeBeanDefinition("nsqTemplate"))
			.withBean("badListener", SendToString.class)
			.run((context) -> assertThat(failure(context)).hasMessageContaining("bean 'badListener'")
				.hasMessageContaining(SendToString.class.getName() + ".handle")
				.hasMessageContaining("@SendTo(\"replies\"), but there is no unique NsqOperations bean"));
	}

	@Test
	void duplicateId() {
		this.runner.withBean("badListener", DuplicateIdA.class).withBean("otherListener", DuplicateIdB.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(failure(context))
				.hasMessageContaining("its id 'same-id' is already used by")
				.hasMessageContaining("bean 'badListener'")
				.hasMessageContaining("bean 'otherListener'");
		});
	}

	@Test
	void concurrencyBelowOne() {
		assertFails(ZeroConcurrency.class, "handle", "concurrency must be at least 1, not 0");
	}

	@Test
	void concurrencyBeyondTheHandlerPoolsLimit() {
		assertFails(HugeConcurrency.class, "handle", "concurrency must be at most 32767, not 32768");
	}

	@Test
	void concurrencyNotANumber() {
		assertFails(TextConcurrency.class, "handle", "concurrency 'many' resolves to 'many', which is not a number");
	}

	@Test
	void noChannelAndNoApplicationName() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=127.0.0.1:1")
			.withBean("badListener", NoChannel.class)
			.run((context) -> assertThat(failure(context))
				.hasMessageContaining("bean 'badListener'")
				.hasMessageContaining("NoChannel.handle")
				.hasMessageContaining("names no channel, and neither nsq.consumer.default-channel nor spring.application.name is set"));
	}

	@Test
	void placeholdersAndSpelResolve() {
		this.runner.withPropertyValues("app.topic=resolved-topic", "app.threads=3")
			.withBean("goodListener", Resolved.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				var container = context.getBean(io.github.nsqspring.listener.NsqListenerRegistry.class)
					.getContainer("resolved")
					.orElseThrow();
				assertThat(container.getTopic()).isEqualTo("resolved-topic");
				assertThat(container.getChannel()).isEqualTo("validation");
				assertThat(container.getContainerProperties().getConcurrency()).isEqualTo(3);
				assertThat(container.getContainerProperties().getMaxInFlight()).isEqualTo(12);
				assertThat(container.getContainerProperties().getMaxAttempts()).isEqualTo(7);
				assertThat(container.isAutoStartup()).isFalse();
				assertThat(container.getContainerProperties().isAutoAcknowledge()).isFalse();
			});
	}

	static class ValidListener {

		@NsqListener(topic = "orders")
		void handle(String body) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ScopedProxyListener {

		@Bean
		@Scope(scopeName = ConfigurableBeanFactory.SCOPE_PROTOTYPE, proxyMode = ScopedProxyMode.TARGET_CLASS)
		PublicListener scopedListener() {
			return new PublicListener();
		}

	}

	public static class PublicListener {

		@NsqListener(topic = "scoped", autoStartup = "false")
		public void handle(String body) {
		}

	}

	static class NamedFactory {

		@NsqListener(topic = "orders", containerFactory = "${app.factory}")
		void handle(String body) {
		}

	}

	static class NamedErrorHandler {

		@NsqListener(topic = "orders", errorHandler = "${app.errors}")
		void handle(String body) {
		}

	}

	static class InvalidTopic {

		@NsqListener(topic = "orders/eu")
		void handle(String body) {
		}

	}

	static class InvalidChannel {

		@NsqListener(topic = "orders", channel = "${app.channel}")
		void handle(String body) {
		}

	}

	static class TwoPayloads {

		@NsqListener(topic = "orders")
		void handle(String first, byte[] second) {
		}

	}

	static class TwoMessagingPayloads {

		@NsqListener(topic = "orders")
		void handle(@Payload String order, Message<String> message) {
		}

	}

	static class UnsupportedMessagingPayload {

		@NsqListener(topic = "orders")
		void handle(@Payload Runnable task, @Header(NsqHeaders.ATTEMPTS) int attempts) {
		}

	}

	static class SendToVoid {

		@NsqListener(topic = "orders")
		@SendTo("replies")
		void handle(String order) {
		}

	}

	static class SendToTwoTopics {

		@NsqListener(topic = "orders")
		@SendTo({ "replies", "others" })
		String handle(String order) {
			return order;
		}

	}

	static class SendToInvalidTopic {

		@NsqListener(topic = "orders")
		@SendTo("re plies")
		String handle(String order) {
			return order;
		}

	}

	static class SendToString {

		@NsqListener(topic = "orders")
		@SendTo("replies")
		String handle(String order) {
			return order;
		}

	}

	static class UnsupportedParameter {

		@NsqListener(topic = "orders")
		void handle(Runnable task) {
		}

	}

	static class NsqJMessageParameter {

		@NsqListener(topic = "orders")
		void handle(com.sproutsocial.nsq.Message message) {
		}

	}

	static class DuplicateIdA {

		@NsqListener(id = "same-id", topic = "orders")
		void handle(String body) {
		}

	}

	static class DuplicateIdB {

		@NsqListener(id = "same-id", topic = "payments")
		void handle(String body) {
		}

	}

	static class ZeroConcurrency {

		@NsqListener(topic = "orders", concurrency = "0")
		void handle(String body) {
		}

	}

	static class HugeConcurrency {

		@NsqListener(topic = "orders", concurrency = "32768")
		void handle(String body) {
		}

	}

	static class TextConcurrency {

		@NsqListener(topic = "orders", concurrency = "many")
		void handle(String body) {
		}

	}

	static class NoChannel {

		@NsqListener(topic = "orders")
		void handle(String body) {
		}

	}

	static class Resolved {

		@NsqListener(id = "resolved", topic = "${app.topic}", concurrency = "${app.threads}", maxInFlight = "#{3 * 4}",
				maxAttempts = "#{'7'}", autoStartup = "#{false}", ackMode = AckMode.MANUAL)
		void handle(io.github.nsqspring.core.NsqMessage message) {
		}

	}

}
