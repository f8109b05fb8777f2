package io.github.nsqspring.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.github.nsqspring.actuate.NsqEndpoint.BatchDescriptor;
import io.github.nsqspring.actuate.NsqEndpoint.ContainerDescriptor;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqEndpointAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqMetricsAutoConfiguration;
import io.github.nsqspring.observation.NsqListenerObservationContext;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats.ChannelStats;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch listener in the meters ({@code nsq.listener.batch.size}), the observations (one {@code nsq.listener}
 * per batch, with its size) and the {@code nsq} endpoint (its batch settings), next to a listener of single
 * messages, against a real nsqd.
 */
class BatchListenerObservabilityIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

	static final List<String> singles = new CopyOnWriteArrayList<>();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	@BeforeEach
	void clear() {
		batchSizes.clear();
		singles.clear();
	}

	/** The listeners consume {@code <topic>-batch} and {@code <topic>-single}, on the channel {@code observed-batches}. */
	private ApplicationContextRunner runner(String topic) {
		nsqd.createChannel(topic + "-batch", "observed-batches");
		nsqd.createChannel(topic + "-single", "observed-batches");
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqMetricsAutoConfiguration.class,
					NsqEndpointAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "nsq.nsqd-http-addresses=" + nsqd.httpAddress(),
					"spring.application.name=observed-batches", "management.endpoints.web.exposure.include=nsq",
					"test.topic=" + topic)
			.withUserConfiguration(Listeners.class);
	}

	/** Publishes 20 messages to the batch listener (max-size 10) and waits until it handled them all and nsqd has their FINs. */
	private static void handleTwentyInBatches(String topic) {
		nsqd.publishBatch(topic + "-batch", IntStream.range(0, 20).mapToObj((i) -> "b" + i).toList());
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(20);
			ChannelStats channel = nsqd.stats().channel(topic + "-batch", "observed-batches");
			assertThat(channel.depth()).isZero();
			assertThat(channel.inFlightCount()).isZero();
			assertThat(channel.clients()).singleElement().satisfies((client) -> assertThat(client.finishCount()).isEqualTo(20));
		});
	}

	private static DistributionSummary batchSizeSummary(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class).get("nsq.listener.batch.size").summary();
	}

	@Test
	void batchSizeSummaryCountsEachBatchAndItsMessages() {
		runner("meter-batches").run((context) -> {
			handleTwentyInBatches("meter-batches");
			DistributionSummary summary = batchSizeSummary(context);
			assertThat(summary.count()).as("batches handed over").isGreaterThanOrEqualTo(2).isEqualTo(batchSizes.size());
			assertThat(summary.totalAmount()).as("messages in them").isEqualTo(20);
			assertThat(summary.max()).isLessThanOrEqualTo(10);
			assertThat(summary.getId().getBaseUnit()).isEqualTo("messages");
			assertThat(summary.getId().getTag("listener")).isEqualTo("batched");
			assertThat(summary.getId().getTag("topic")).isEqualTo("meter-batches-batch");
			assertThat(summary.getId().getTag("channel")).isEqualTo("observed-batches");
			assertThat(context.getBean(MeterRegistry.class).find("nsq.listener.batch.size").tag("listener", "single").meters())
				.as("a listener of single messages has no batch size").isEmpty();
		});
	}

	@Test
	void oneListenerObservationPerBatchCarriesTheBatchSize() {
		runner("observed-batches").withPropertyValues("nsq.consumer.observation-enabled=true")
			.withBean(ObservationRegistry.class, () -> this.observations)
			.run((context) -> {
				handleTwentyInBatches("observed-batches");
				nsqd.publish("observed-batches-single", "one");
				await().atMost(Duration.ofSeconds(20)).until(() -> singles.size() == 1);
				await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> TestObservationRegistryAssert.assertThat(this.observations)
					.hasNumberOfObservationsWithNameEqualTo("nsq.listener", batchSizes.size() + 1)
					// the outcome key has its value once an observation stopped
					.forAllObservationsWithNameEqualTo("nsq.listener",
							(observation) -> observation.doesNotHaveLowCardinalityKeyValue("nsq.outcome", "none")));
				TestObservationRegistryAssert.assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> {
					List<NsqListenerObservationContext> listener = contexts.stream()
						.filter(NsqListenerObservationContext.class::isInstance)
						.map(NsqListenerObservationContext.class::cast)
						.toList();
					List<NsqListenerObservationContext> batched = listener.stream()
						.filter((observed) -> observed.getListener().equals("batched"))
						.toList();
					assertThat(batched).as("one observation per batch").hasSize(batchSizes.size()).hasSizeGreaterThanOrEqualTo(2);
					assertThat(batched).extracting((observed) -> observed.getHighCardinalityKeyValue("messaging.batch.message_count").getValue())
						.containsExactlyInAnyOrderElementsOf(batchSizes.stream().map(String::valueOf).toList());
					assertThat(batched).allSatisfy((observed) -> assertThat(observed.getOutcome()).isEqualTo("finished"));
					assertThat(listener).filteredOn((observed) -> observed.getListener().equals("single")).singleElement()
						.satisfies((observed) -> assertThat(observed.getHighCardinalityKeyValue("messaging.batch.message_count"))
							.as("a single message has no batch size").isNull());
				});
				DistributionSummary summary = batchSizeSummary(context);
				assertThat(summary.count()).as("the summary, observations or not").isEqualTo(batchSizes.size());
				assertThat(summary.totalAmount()).isEqualTo(20);
			});
	}

	@Test
	void endpointShowsTheBatchSettingsOfTheBatchListenerOnly() {
		runner("endpoint-batches").run((context) -> {
			NsqEndpoint endpoint = context.getBean(NsqEndpoint.class);
			assertThat(endpoint.containers().containers()).extracting(ContainerDescriptor::name)
				.containsExactlyInAnyOrder("batched", "single");
			ContainerDescriptor batched = endpoint.container("batched").getBody();
			assertThat(batched).isNotNull();
			assertThat(batched.batch()).isEqualTo(new BatchDescriptor(10, 1500));
			assertThat(batched.maxInFlight()).as("concurrency x batch max-size").isEqualTo(10);
			ContainerDescriptor single = endpoint.container("single").getBody();
			assertThat(single).isNotNull();
			assertThat(single.batch()).isNull();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@NsqListener(id = "batched", topic = "${test.topic}-batch", batch = "true", batchMaxSize = "10", batchMaxWait = "1500ms")
		void batched(List<String> bodies) {
			batchSizes.add(bodies.size());
		}

		@NsqListener(id = "single", topic = "${test.topic}-single")
		void single(String body) {
			singles.add(body);
		}

	}

}
