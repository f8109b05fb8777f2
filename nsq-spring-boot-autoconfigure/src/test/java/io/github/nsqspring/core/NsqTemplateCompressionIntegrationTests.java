package io.github.nsqspring.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.support.NsqVersion;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import io.github.nsqspring.test.NsqStats;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link NsqTemplate} with {@code nsq.producer.compression=snappy|deflate} against real nsqd processes: what
 * is published arrives intact (read by a consumer that nsqd serves uncompressed), nsqd's {@code /stats}
 * shows the compression for the template's connections, with and without TLS, and an nsqd that refuses
 * the compression fails the publish.
 */
@ExtendWith(OutputCaptureExtension.class)
class NsqTemplateCompressionIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private static final AtomicInteger topics = new AtomicInteger();

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@RegisterExtension
	static NsqServer tlsNsqd = NsqServer.withTls(NsqServerTls.required());

	@RegisterExtension
	static NsqServer uncompressedNsqd = NsqServer.withArguments("--snappy=false", "--deflate=false");

	private static final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NsqAutoConfiguration.class))
		.withPropertyValues("nsq.producer.timeout=" + TIMEOUT.toMillis() + "ms");

	static String newTopic() {
		return "compressed-" + topics.incrementAndGet();
	}

	/** A body that compresses well, numbered so that every one is different. */
	static String compressible(int number, int size) {
		StringBuilder body = new StringBuilder("{\"number\":" + number + ",\"lines\":[");
		while (body.length() < size - 2) {
			body.append("{\"item\":\"cup\",\"quantity\":").append(body.length() % 7).append("},");
		}
		return body.substring(0, size - 2) + "]}";
	}

	static void withTemplate(String compression, NsqServer server, Consumer<NsqTemplate> test, String... more) {
		List<String> properties = new ArrayList<>(
				List.of("nsq.producer.compression=" + compression, "nsq.nsqd-addresses=" + server.tcpAddress()));
		properties.addAll(List.of(more));
		runner.withPropertyValues(properties.toArray(String[]::new)).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(context.getBean(NsqTemplate.class));
		});
	}

	/** Runs the test with a template of the compression and a raw consumer subscribed to the topic first. */
	static void withSubscribedTemplate(String compression, String topic, BiConsumer<NsqTemplate, RawNsqConsumer> test)
			throws IOException {
		try (RawNsqConsumer consumer = RawNsqConsumer.subscribe(nsqd.tcpAddress(), topic, "test")) {
			withTemplate(compression, nsqd, (template) -> test.accept(template, consumer));
		}
	}

	static List<RawNsqConsumer.Received> received(RawNsqConsumer consumer, int count) {
		await().atMost(Duration.ofSeconds(15)).until(() -> consumer.received().size() >= count);
		return consumer.received();
	}

	static void assertProducersCompressed(NsqServer server, String compression) {
		List<NsqStats.ProducerStats> producers = server.stats().producers();
		assertThat(producers).isNotEmpty().allSatisfy((producer) -> {
			assertThat(producer.userAgent()).isEqualTo(NsqVersion.userAgent()).matches("nsq-spring-boot/\\d+\\.\\d+\\.\\d+.*");
			assertThat(producer.snappy()).isEqualTo(compression.equals("snappy"));
			assertThat(producer.deflate()).isEqualTo(compression.equals("deflate"));
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "snappy", "deflate" })
	void everyKindOfPublishArrivesIntact(String compression) throws IOException {
		String topic = newTopic();
		withSubscribedTemplate(compression, topic, (template, consumer) -> {
			template.send(topic, compressible(1, 1024));
			template.sendAsync(topic, compressible(2, 1024)).join();
			template.sendBatch(topic, List.of(compressible(3, 100), compressible(4, 5000), compressible(5, 40)));
			template.sendDeferred(topic, compressible(6, 1024), Duration.ofMillis(100));
			assertThat(received(consumer, 6)).extracting(RawNsqConsumer.Received::text)
				.containsExactlyInAnyOrder(compressible(1, 1024), compressible(2, 1024), compressible(3, 100),
						compressible(4, 5000), compressible(5, 40), compressible(6, 1024));
			assertProducersCompressed(nsqd, compression);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "snappy", "deflate" })
	void pipelinedAndMergedAsyncPublishesArriveIntact(String compression) throws IOException {
		String topic = newTopic();
		withSubscribedTemplate(compression, topic, (template, consumer) -> {
			List<CompletableFuture<Void>> futures = IntStream.range(0, 5000)
				.mapToObj((i) -> template.sendAsync(topic, compressible(i, 1024)))
				.toList();
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
			assertThat(received(consumer, 5000)).extracting(RawNsqConsumer.Received::text)
				.containsExactlyInAnyOrderElementsOf(IntStream.range(0, 5000).mapToObj((i) -> compressible(i, 1024)).toList());
			assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(5000);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "snappy", "deflate" })
	void largeAndIncompressibleBodiesArriveIntact(String compression) throws IOException {
		String topic = newTopic();
		byte[] random = new byte[300 * 1024];
		new Random(42).nextBytes(random);
		withSubscribedTemplate(compression, topic, (template, consumer) -> {
			template.send(topic, random);
			template.send(topic, compressible(7, 900 * 1024));
			List<RawNsqConsumer.Received> received = received(consumer, 2);
			assertThat(received).extracting(RawNsqConsumer.Received::body)
				.containsExactlyInAnyOrder(random, compressible(7, 900 * 1024).getBytes());
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "snappy", "deflate" })
	void idleCompressedConnectionAnswersHeartbeats(String compression, CapturedOutput output) {
		String topic = newTopic();
		withTemplate(compression, nsqd, (template) -> {
			template.send(topic, "first");
			List<String> connection = producerAddresses(nsqd);
			assertThat(connection).hasSize(1);
			// nsqd closes a connection that answers no heartbeat for two intervals, the template one it hears
			// nothing from
			await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(5))
				.until(() -> producerAddresses(nsqd).equals(connection));
			template.send(topic, "second");
			assertThat(producerAddresses(nsqd)).isEqualTo(connection);
			assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(2);
		}, "nsq.producer.heartbeat-interval=1s", "nsq.producer.connections=1");
		assertThat(output).doesNotContain("Closing connection to nsqd");
	}

	static List<String> producerAddresses(NsqServer server) {
		return server.stats()
			.producers()
			.stream()
			.filter((producer) -> producer.userAgent().equals(NsqVersion.userAgent()))
			.map(NsqStats.ProducerStats::remoteAddress)
			.toList();
	}

	@ParameterizedTest
	@ValueSource(strings = { "snappy", "deflate" })
	void compressesOverTls(String compression) {
		String topic = newTopic();
		List<String> tls = new ArrayList<>(List.of("nsq.ssl.bundle=nsq"));
		tlsNsqd.certificates().bundleProperties("nsq", null).forEach((key, value) -> tls.add(key + "=" + value));
		withTemplate(compression, tlsNsqd, (template) -> {
			template.send(topic, compressible(1, 1024));
			template.sendAsync(topic, compressible(2, 1024)).join();
			template.sendBatch(topic, List.of(compressible(3, 2048), compressible(4, 10)));
			template.sendDeferred(topic, compressible(5, 1024), Duration.ofMillis(100));
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(tlsNsqd.stats().topic(topic).messageCount()).isEqualTo(5));
			assertProducersCompressed(tlsNsqd, compression);
			assertThat(tlsNsqd.stats().producers()).allSatisfy((producer) -> assertThat(producer.tls()).isTrue());
		}, tls.toArray(String[]::new));
	}

	@ParameterizedTest
	@ValueSource(strings = { "snappy", "deflate" })
	void nsqdThatRefusesTheCompressionFailsThePublish(String compression) {
		withTemplate(compression, uncompressedNsqd, (template) -> assertThatExceptionOfType(NsqPublishException.class)
			.isThrownBy(() -> template.send(newTopic(), "x"))
			.withMessageContaining(uncompressedNsqd.tcpAddress())
			.withMessageContaining("nsqd refused " + compression + " compression (it runs with --" + compression
					+ "=false) while nsq.producer.compression=" + compression));
	}

	@ParameterizedTest
	@ValueSource(strings = { "snappy", "deflate" })
	void failsOverFromAnNsqdThatRefusesTheCompressionToOneThatAgrees(String compression) {
		String topic = newTopic();
		withTemplate(compression, uncompressedNsqd, (template) -> {
			template.send(topic, compressible(1, 1024));
			assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(1);
			assertThat(uncompressedNsqd.stats().findTopic(topic)).isEmpty();
		}, "nsq.nsqd-addresses=" + uncompressedNsqd.tcpAddress() + "," + nsqd.tcpAddress(), "nsq.producer.deflate-level=1");
	}

	@Test
	void withoutCompressionNsqdShowsNone() {
		String topic = newTopic();
		withTemplate("none", nsqd, (template) -> {
			template.send(topic, "plain");
			assertThat(nsqd.stats().producers()).filteredOn((producer) -> producer.userAgent().equals(NsqVersion.userAgent()))
				.isNotEmpty()
				.allSatisfy((producer) -> assertThat(producer.snappy() || producer.deflate()).isFalse());
		});
	}

	@Nested
	class StartupChecks {

		/** The messages of the failure and its causes, as a user reads them in the log. */
		static String messages(Throwable failure) {
			StringBuilder messages = new StringBuilder();
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				messages.append(cause.getMessage()).append('\n');
			}
			return messages.toString();
		}

		@Test
		void unknownCompressionFailsNamingTheProperty() {
			runner.withPropertyValues("nsq.producer.compression=gzip")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(messages(context.getStartupFailure())).contains("nsq.producer.compression").contains("gzip");
				});
		}

		@Test
		void snappyWithoutSnappyJavaFailsNamingThePropertyAndTheLibrary() {
			runner.withClassLoader(new FilteredClassLoader("org.xerial.snappy"))
				.withPropertyValues("nsq.producer.compression=snappy")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(messages(context.getStartupFailure()))
						.contains("nsq.producer.compression=snappy: snappy needs org.xerial.snappy:snappy-java");
				});
		}

		@ParameterizedTest
		@ValueSource(ints = { 0, 10 })
		void deflateLevelOutsideOneToNineFailsNamingTheProperty(int level) {
			runner.withPropertyValues("nsq.producer.compression=deflate", "nsq.producer.deflate-level=" + level)
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(messages(context.getStartupFailure()))
						.contains("nsq.producer.deflate-level must be between 1 and 9, not " + level);
				});
		}

		@Test
		void deflateNeedsNoLibrary() {
			runner.withClassLoader(new FilteredClassLoader("org.xerial.snappy"))
				.withPropertyValues("nsq.producer.compression=deflate")
				.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(NsqTemplate.class));
		}

	}

}
