package io.github.nsqspring.aot;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.SendTo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Processes an application with a listener ahead of time, as a native-image build does: the runtime hints
 * cover the listener method, its payload type, the Lua and SQL resources and nsq-j's JSON types, and the
 * generated context, compiled and started, sends to and consumes from a real nsqd.
 */
class NsqAotIntegrationTests {

	@Test
	void hintsCoverListenersResourcesAndNsqJ() {
		TestGenerationContext generated = new TestGenerationContext();
		processAheadOfTime(generated);
		RuntimeHints hints = generated.getRuntimeHints();

		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderListener.class, "onOrder")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Order.class).withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class, "id")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(OrderListener.class, "onQuote")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Receipt.class, "orderId")).accepts(hints);
		for (String script : List.of("claim", "acknowledge", "release", "schedule", "cancel")) {
			assertThat(RuntimeHintsPredicates.resource().forResource("io/github/nsqspring/delay/" + script + ".lua")).accepts(hints);
		}
		for (String platform : List.of("h2", "postgresql")) {
			assertThat(RuntimeHintsPredicates.resource().forResource("io/github/nsqspring/archive/schema-" + platform + ".sql"))
				.accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onType(com.sproutsocial.nsq.Config.class)
			.withMemberCategory(MemberCategory.ACCESS_DECLARED_FIELDS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("io/github/nsqspring/unknown.lua")).rejects(hints);
	}

	@Test
	@CompileWithForkedClassLoader
	@SuppressWarnings("unchecked")
	void generatedContextConsumes() {
		TestGenerationContext generated = new TestGenerationContext();
		ClassName initializer = processAheadOfTime(generated);
		try (NsqServer nsqd = NsqServer.create().start()) {
			TestCompiler.forSystem().with(generated).compile((compiled) -> {
				try (GenericApplicationContext context = new GenericApplicationContext()) {
					TestPropertyValues.of("nsq.nsqd-addresses=" + nsqd.tcpAddress()).applyTo(context);
					compiled.getInstance(ApplicationContextInitializer.class, initializer.canonicalName()).initialize(context);
					context.refresh();
					context.getBean(NsqOperations.class).send("aot-orders", new Order("o-7", 3));
					OrderListener listener = context.getBean(OrderListener.class);
					await().untilAsserted(() -> assertThat(listener.received).containsExactly(new Order("o-7", 3)));
					await().untilAsserted(() -> assertThat(nsqd.stats().channel("aot-orders", "aot-test").messageCount()).isOne());
				}
			});
		}
	}

	private static ClassName processAheadOfTime(TestGenerationContext generationContext) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.register(Application.class);
		ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
		generationContext.writeGeneratedContent();
		return initializer;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(NsqAutoConfiguration.class)
	static class Application {

		@Bean
		OrderListener orderListener() {
			return new OrderListener();
		}

	}

	static class OrderListener {

		final List<Order> received = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "aot-orders", channel = "aot-test")
		void onOrder(Order order) {
			this.received.add(order);
		}

		@NsqListener(topic = "aot-quotes", channel = "aot-test")
		@SendTo("aot-receipts")
		CompletableFuture<Receipt> onQuote(Message<Order> quote) {
			return CompletableFuture.completedFuture(new Receipt(quote.getPayload().id()));
		}

	}

	record Order(String id, int amount) {
	}

	record Receipt(String orderId) {
	}

}
