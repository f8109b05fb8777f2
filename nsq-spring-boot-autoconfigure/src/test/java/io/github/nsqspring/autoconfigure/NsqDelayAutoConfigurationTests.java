package io.github.nsqspring.autoconfigure;

import java.time.Duration;

import io.github.nsqspring.actuate.NsqDelayMetrics;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.delay.DelayedMessagePoller;
import io.github.nsqspring.delay.NsqDelayedMessages;
import io.github.nsqspring.delay.RedisDelayedMessageStore;
import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.test.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** When the durable delays are configured, with what, and how bad {@code nsq.delay.*} values fail. */
class NsqDelayAutoConfigurationTests {

	@RegisterExtension
	static RedisServer redis = RedisServer.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqDelayAutoConfiguration.class,
				DataRedisAutoConfiguration.class))
		// the poller runs in these contexts: it finds a real Redis and nothing due
		.withPropertyValues("nsq.nsqd-addresses=127.0.0.1:1", "spring.data.redis.port=" + redis.port());

	@Test
	void offByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(NsqDelayedMessages.class);
			assertThat(context).doesNotHaveBean(DelayedMessagePoller.class);
			assertThat(context.getBean(NsqProperties.class).getDelay().getStore()).isEqualTo(NsqProperties.Delay.Store.NONE);
		});
	}

	@Test
	void redisStoreGivesTheDelayedMessagesAndARunningPoller() {
		this.runner.withPropertyValues("nsq.delay.store=redis").run((context) -> {
			assertThat(context).hasSingleBean(NsqDelayedMessages.class);
			assertThat(context).hasSingleBean(RedisDelayedMessageStore.class);
			assertThat(context.getBean(DelayedMessagePoller.class).isRunning()).isTrue();
			assertThat(context).doesNotHaveBean(NsqDelayMetrics.class);
		});
	}

	@Test
	void redisStoreWithoutSpringDataRedisFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("nsq.delay.store=redis")
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("nsq.delay.store=redis needs spring-data-redis on the classpath");
			});
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(NsqDelayedMessages.class));
	}

	@Test
	void metersWithAMeterRegistryAndNoneWithoutMicrometer() {
		ApplicationContextRunner withRegistry = this.runner.withPropertyValues("nsq.delay.store=redis")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new);
		withRegistry.run((context) -> {
			assertThat(context).hasSingleBean(NsqDelayMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).get("nsq.delay.pending").gauge().value()).isZero();
		});
		this.runner.withPropertyValues("nsq.delay.store=redis")
			.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(NsqDelayedMessages.class);
				assertThat(context).doesNotHaveBean(NsqDelayMetrics.class);
			});
	}

	@Test
	void pollerStartsAfterAndStopsBeforeTheTemplateAndAfterTheListeners() {
		assertThat(DelayedMessagePoller.PHASE).isGreaterThan(NsqTemplate.PHASE)
			.isLessThan(NsqListenerContainer.DEFAULT_PHASE);
	}

	@Test
	void bindsDefaultsAndValues() {
		this.runner.run((context) -> {
			NsqProperties.Delay delay = context.getBean(NsqProperties.class).getDelay();
			assertThat(delay.getPollInterval()).isEqualTo(Duration.ofMillis(100));
			assertThat(delay.getBatchSize()).isEqualTo(100);
			assertThat(delay.getLease()).isEqualTo(Duration.ofSeconds(30));
			assertThat(delay.getKeyPrefix()).isEqualTo("nsq:delay:");
			assertThat(delay.getMaxDelay()).isEqualTo(Duration.ofDays(30));
		});
		this.runner.withPropertyValues("nsq.delay.store=REDIS", "nsq.delay.poll-interval=50ms", "nsq.delay.batch-size=10",
				"nsq.delay.lease=1m", "nsq.delay.key-prefix={app}:delay:", "nsq.delay.max-delay=7d").run((context) -> {
					NsqProperties.Delay delay = context.getBean(NsqProperties.class).getDelay();
					assertThat(delay.getStore()).isEqualTo(NsqProperties.Delay.Store.REDIS);
					assertThat(delay.getPollInterval()).isEqualTo(Duration.ofMillis(50));
					assertThat(delay.getBatchSize()).isEqualTo(10);
					assertThat(delay.getLease()).isEqualTo(Duration.ofMinutes(1));
					assertThat(delay.getKeyPrefix()).isEqualTo("{app}:delay:");
					assertThat(delay.getMaxDelay()).isEqualTo(Duration.ofDays(7));
					assertThat(context).hasSingleBean(NsqDelayedMessages.class);
				});
	}

	@Test
	void leaseMustOutliveThePublish() {
		this.runner.withPropertyValues("nsq.delay.store=redis", "nsq.delay.lease=4s", "nsq.producer.timeout=2s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("nsq.delay.lease (PT4S) must be more than twice nsq.producer.timeout (PT2S)");
			});
	}

	@Nested
	class BadValues {

		@Test
		void zeroPollInterval() {
			assertStartupFails("nsq.delay.poll-interval=0ms", "nsq.delay.poll-interval");
		}

		@Test
		void batchSizeBelowOne() {
			assertStartupFails("nsq.delay.batch-size=0", "nsq.delay.batch-size");
		}

		@Test
		void negativeLease() {
			assertStartupFails("nsq.delay.lease=-1s", "nsq.delay.lease");
		}

		@Test
		void blankKeyPrefix() {
			assertStartupFails("nsq.delay.key-prefix= ", "nsq.delay.key-prefix");
		}

		@Test
		void zeroMaxDelay() {
			assertStartupFails("nsq.delay.max-delay=0s", "nsq.delay.max-delay");
		}

		@Test
		void unknownStore() {
			assertStartupFails("nsq.delay.store=mongo", "nsq.delay.store");
		}

		private void assertStartupFails(String property, String name) {
			NsqDelayAutoConfigurationTests.this.runner.withPropertyValues(property).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining(name);
			});
		}

	}

}
