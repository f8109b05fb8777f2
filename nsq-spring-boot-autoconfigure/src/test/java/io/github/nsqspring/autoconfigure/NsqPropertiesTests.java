package io.github.nsqspring.autoconfigure;

import java.time.Duration;

import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class NsqPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class));

	@Test
	void defaults() {
		this.runner.run((context) -> {
			NsqProperties properties = context.getBean(NsqProperties.class);
			assertThat(properties.getLookupdAddresses()).isEmpty();
			assertThat(properties.getNsqdAddresses()).containsExactly("127.0.0.1:4150");
			NsqProperties.Consumer consumer = properties.getConsumer();
			assertThat(consumer.getDefaultChannel()).isNull();
			assertThat(consumer.getMaxInFlight()).isNull();
			assertThat(consumer.getDeadLetterTopic()).isNull();
			// nsq.consumer.* only overrides: the defaults are those of ContainerProperties
			ContainerProperties container = context.getBean(NsqListenerContainerFactory.class)
				.createContainer(1, "t", "c", (custom) -> {
				}, (message) -> {
				})
				.getContainerProperties();
			assertThat(container.getConcurrency()).isEqualTo(1);
			assertThat(container.getMaxInFlight()).isEqualTo(1);
			assertThat(container.getMaxAttempts()).isEqualTo(5);
			assertThat(container.getBackoffInitial()).isEqualTo(Duration.ofSeconds(1));
			assertThat(container.getBackoffMax()).isEqualTo(Duration.ofSeconds(60));
			assertThat(container.getLookupdPollInterval()).isEqualTo(Duration.ofSeconds(15));
			assertThat(container.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(25));
			assertThat(container.isAutoTouch()).isTrue();
			assertThat(container.isSkipEmptyMessages()).isTrue();
			assertThat(consumer.getWorkerId()).isNull();
			assertThat(properties.getProducer().getTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getProducer().getConnections()).isEqualTo(2);
		});
	}

	@Test
	void bindsEveryValue() {
		this.runner.withPropertyValues("nsq.lookupd-addresses=10.0.0.1:4161,10.0.0.2:4161",
				"nsq.nsqd-addresses=10.0.0.3:4150,10.0.0.4:4150", "nsq.consumer.default-channel=billing",
				"nsq.consumer.concurrency=4", "nsq.consumer.max-in-flight=20", "nsq.consumer.max-attempts=3",
				"nsq.consumer.auto-touch=false", "nsq.consumer.skip-empty-messages=false",
				"nsq.consumer.dead-letter-topic={topic}.dead", "nsq.consumer.worker-id=7",
				"nsq.producer.connections=4")
			.run((context) -> {
				NsqProperties properties = context.getBean(NsqProperties.class);
				assertThat(properties.getLookupdAddresses()).containsExactly("10.0.0.1:4161", "10.0.0.2:4161");
				assertThat(properties.getNsqdAddresses()).containsExactly("10.0.0.3:4150", "10.0.0.4:4150");
				NsqProperties.Consumer consumer = properties.getConsumer();
				assertThat(consumer.getDefaultChannel()).isEqualTo("billing");
				assertThat(consumer.getConcurrency()).isEqualTo(4);
				assertThat(consumer.getMaxInFlight()).isEqualTo(20);
				assertThat(consumer.getMaxAttempts()).isEqualTo(3);
				assertThat(consumer.getAutoTouch()).isFalse();
				assertThat(consumer.getSkipEmptyMessages()).isFalse();
				assertThat(consumer.getDeadLetterTopic()).isEqualTo("{topic}.dead");
				assertThat(consumer.getWorkerId()).isEqualTo(7);
				assertThat(properties.getProducer().getConnections()).isEqualTo(4);
			});
	}

	@Test
	void consumerOverridesReachTheContainers() {
		this.runner.withPropertyValues("nsq.consumer.concurrency=3", "nsq.consumer.reconnect-delay=250ms",
				"nsq.consumer.reconnect-max-delay=4s", "nsq.consumer.auto-touch=false")
			.run((context) -> {
				ContainerProperties container = context.getBean(NsqListenerContainerFactory.class)
					.createContainer(1, "t", "c", (custom) -> {
					}, (message) -> {
					})
					.getContainerProperties();
				assertThat(container.getConcurrency()).isEqualTo(3);
				assertThat(container.getReconnectDelay()).isEqualTo(Duration.ofMillis(250));
				assertThat(container.getReconnectMaxDelay()).isEqualTo(Duration.ofSeconds(4));
				assertThat(container.isAutoTouch()).isFalse();
				assertThat(container.getMaxAttempts()).as("not overridden").isEqualTo(5);
			});
	}

	@Test
	void lookupdAddressAsHttpUrlIsBoundAsHostAndPort() {
		this.runner.withPropertyValues("nsq.lookupd-addresses=http://10.0.0.1:4161,HTTP://nsqlookupd:4161/,10.0.0.2:4161")
			.run((context) -> assertThat(context.getBean(NsqProperties.class).getLookupdAddresses())
				.containsExactly("10.0.0.1:4161", "nsqlookupd:4161", "10.0.0.2:4161"));
	}

	@Test
	void bindsEveryDuration() {
		this.runner.withPropertyValues("nsq.consumer.backoff.initial=250ms", "nsq.consumer.backoff.max=2m",
				"nsq.consumer.lookupd-poll-interval=5s", "nsq.consumer.shutdown-timeout=40s", "nsq.producer.timeout=1500ms")
			.run((context) -> {
				NsqProperties properties = context.getBean(NsqProperties.class);
				assertThat(properties.getConsumer().getBackoff().getInitial()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.getConsumer().getBackoff().getMax()).isEqualTo(Duration.ofMinutes(2));
				assertThat(properties.getConsumer().getLookupdPollInterval()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.getConsumer().getShutdownTimeout()).isEqualTo(Duration.ofSeconds(40));
				assertThat(properties.getProducer().getTimeout()).isEqualTo(Duration.ofMillis(1500));
			});
	}

	@Nested
	class InvalidValues {

		@Test
		void unparsableDurationNamesTheProperty() {
			assertStartupFails("nsq.consumer.shutdown-timeout=soon", "nsq.consumer.shutdown-timeout");
		}

		@Test
		void negativeDurationNamesTheProperty() {
			assertStartupFails("nsq.consumer.backoff.initial=-1s", "nsq.consumer.backoff.initial");
		}

		@Test
		void zeroProducerTimeoutNamesTheProperty() {
			assertStartupFails("nsq.producer.timeout=0s", "nsq.producer.timeout");
		}

		@Test
		void concurrencyBelowOneNamesTheProperty() {
			assertStartupFails("nsq.consumer.concurrency=0", "nsq.consumer.concurrency");
		}

		@Test
		void workerIdOutOfRangeNamesTheProperty() {
			assertStartupFails("nsq.consumer.worker-id=1024", "nsq.consumer.worker-id");
		}

		@Test
		void lookupdAddressWithoutPortNamesTheProperty() {
			assertStartupFails("nsq.lookupd-addresses=nsqlookupd:41x61", "nsq.lookupd-addresses");
		}

		@Test
		void nsqdAddressWithoutPortNamesTheProperty() {
			assertStartupFails("nsq.nsqd-addresses=127.0.0.1:4150,nsqd-2", "nsq.nsqd-addresses");
		}

		@Test
		void nonNumericMaxAttemptsNamesTheProperty() {
			assertStartupFails("nsq.consumer.max-attempts=many", "nsq.consumer.max-attempts");
		}

		@Test
		void concurrencyBeyondTheHandlerPoolsLimitNamesTheProperty() {
			assertStartupFails("nsq.consumer.concurrency=32768", "nsq.consumer.concurrency: concurrency must be at most 32767");
		}

		@ParameterizedTest
		@CsvSource({ "backoff.initial, 2m, backoff.max, 1m, PT2M, PT1M",
				"reconnect-delay, 10s, reconnect-max-delay, 2s, PT10S, PT2S",
				"flow-backoff.initial, 3s, flow-backoff.max, 2s, PT3S, PT2S" })
		void firstDelayAboveItsLimitNamesBothProperties(String first, String firstValue, String limit, String limitValue,
				String firstShown, String limitShown) {
			NsqPropertiesTests.this.runner
				.withPropertyValues("nsq.consumer." + first + "=" + firstValue, "nsq.consumer." + limit + "=" + limitValue)
				.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining("nsq.consumer." + first
						+ " (" + firstShown + ") must not be larger than nsq.consumer." + limit + " (" + limitShown + ")"));
		}

		@Test
		void httpsLookupdAddressNamesThePropertyAndSaysWhy() {
			assertStartupFails("nsq.lookupd-addresses=https://127.0.0.1:4161", "nsq.lookupd-addresses contains "
					+ "'https://127.0.0.1:4161': address 'https://127.0.0.1:4161' uses https, but nsqlookupd serves plain HTTP only");
		}

		@Test
		void otherSchemeOfALookupdAddressNamesTheProperty() {
			assertStartupFails("nsq.lookupd-addresses=tcp://127.0.0.1:4161", "nsq.lookupd-addresses contains 'tcp://127.0.0.1:4161'");
		}

		@Test
		void schemeOfAnNsqdAddressNamesTheProperty() {
			assertStartupFails("nsq.nsqd-addresses=http://127.0.0.1:4150", "nsq.nsqd-addresses contains 'http://127.0.0.1:4150'");
		}

		private void assertStartupFails(String property, String name) {
			NsqPropertiesTests.this.runner.withPropertyValues(property).run((context) -> {
				assertThat(context).hasFailed();
				// Spring Boot's failure analyzer prints the cause chain: a conversion failure names the property
				// in its BindException, a range check in the setter's own message
				assertThat(context.getStartupFailure()).hasStackTraceContaining(name);
			});
		}

	}

}
