package io.github.nsqspring.autoconfigure;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqProducerSettings;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.core.PublishObserver;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

class NsqTemplateConfigurationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
		.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress());

	@Test
	void providesTheTemplateAsNsqOperations() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(NsqTemplate.class);
			assertThat(context.getBean(NsqOperations.class)).isSameAs(context.getBean(NsqTemplate.class));
			assertThat(context.getBean(NsqTemplate.class).isRunning()).isTrue();
		});
	}

	@Test
	void backsOffWhenTheApplicationHasItsOwnNsqOperations() {
		this.runner.withUserConfiguration(OwnOperations.class).run((context) -> {
			assertThat(context).doesNotHaveBean(NsqTemplate.class);
			assertThat(context).hasSingleBean(NsqOperations.class);
		});
	}

	@Test
	void publishesThroughTheConverterBean() {
		this.runner.withUserConfiguration(OwnConverter.class).run((context) -> {
			context.getBean(NsqOperations.class).send("converted", new StringBuilder("abc"));
			assertThat(context.getBean(CountingConverter.class).calls).hasValue(1);
			assertThat(nsqd.stats().topic("converted").messageCount()).isEqualTo(1);
		});
	}

	@Test
	void everyPublishObserverBeanIsTold() {
		List<String> told = new CopyOnWriteArrayList<>();
		this.runner
			.withBean("firstObserver", PublishObserver.class, () -> (topic, operation, failure, nanos) -> told.add("first " + topic))
			.withBean("secondObserver", PublishObserver.class, () -> (topic, operation, failure, nanos) -> told.add("second " + topic))
			.run((context) -> {
				context.getBean(NsqOperations.class).send("observed", "x");
				await().untilAsserted(() -> assertThat(told).containsExactlyInAnyOrder("first observed", "second observed"));
			});
	}

	@Test
	void asyncSendsIssuedJustBeforeContextCloseAreOnNsqdAfterClose() {
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		this.runner.run((context) -> {
			NsqOperations operations = context.getBean(NsqOperations.class);
			for (int i = 0; i < 10_000; i++) {
				futures.add(operations.sendAsync("closing", "m" + i));
			}
			context.close();
		});
		assertThat(futures).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
		assertThat(nsqd.stats().topic("closing").messageCount()).isEqualTo(10_000);
	}

	@Test
	void bindsTheProducerProperties() {
		this.runner
			.withPropertyValues("nsq.nsqd-addresses=10.0.0.1:4150,10.0.0.2:4150", "nsq.producer.timeout=2s",
					"nsq.producer.connections=3", "nsq.producer.max-message-size=2MB", "nsq.producer.max-body-size=10MB",
					"nsq.producer.max-deferral=2h", "nsq.producer.failback-interval=30s",
					"nsq.producer.batch.max-messages=50", "nsq.producer.batch.max-size=64KB",
					"nsq.producer.heartbeat-interval=10s")
			.run((context) -> {
				NsqProducerSettings settings = NsqTemplateConfiguration
					.producerSettings(context.getBean(NsqProperties.class));
				assertThat(settings).isEqualTo(new NsqProducerSettings(List.of("10.0.0.1:4150", "10.0.0.2:4150"),
						Duration.ofSeconds(2), 3, 2 * 1024 * 1024, 10 * 1024 * 1024, Duration.ofHours(2),
						Duration.ofSeconds(30), 50, 64 * 1024, Duration.ofSeconds(10)));
			});
	}

	@Test
	void defaultsMatchNsqdDefaults() {
		this.runner.run((context) -> assertThat(
				NsqTemplateConfiguration.producerSettings(context.getBean(NsqProperties.class)))
			.isEqualTo(NsqProducerSettings.of(List.of(nsqd.tcpAddress()))));
	}

	@Nested
	class InvalidSettings {

		@Test
		void zeroMaxMessageSizeNamesTheProperty() {
			assertStartupFails("nsq.producer.max-message-size=0B", "nsq.producer.max-message-size");
		}

		@Test
		void zeroBatchMessagesNamesTheProperty() {
			assertStartupFails("nsq.producer.batch.max-messages=0", "nsq.producer.batch.max-messages");
		}

		@Test
		void negativeMaxDeferralNamesTheProperty() {
			assertStartupFails("nsq.producer.max-deferral=-1s", "nsq.producer.max-deferral");
		}

		@Test
		void heartbeatIntervalBelowOneSecondNamesTheProperty() {
			assertStartupFails("nsq.producer.heartbeat-interval=500ms", "nsq.producer.heartbeat-interval");
		}

		@Test
		void batchLargerThanTheBodyLimitNamesTheSettings() {
			assertStartupFails("nsq.producer.batch.max-size=6MB", "nsq.producer");
		}

		@Test
		void addressWithoutPortNamesTheProperty() {
			assertStartupFails("nsq.nsqd-addresses=localhost", "nsq.nsqd-addresses");
		}

		private void assertStartupFails(String property, String name) {
			NsqTemplateConfigurationTests.this.runner.withPropertyValues(property).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining(name);
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnOperations {

		@Bean
		NsqOperations ownOperations() {
			return mock(NsqOperations.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConverter {

		@Bean
		CountingConverter countingConverter() {
			return new CountingConverter();
		}

	}

	static class CountingConverter implements NsqMessageConverter {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public byte[] toBody(Object payload) {
			this.calls.incrementAndGet();
			return payload.toString().getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public Object fromBody(byte[] body, Type targetType) {
			throw new UnsupportedOperationException();
		}

	}

}
