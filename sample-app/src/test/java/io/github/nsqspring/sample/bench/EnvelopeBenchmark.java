package io.github.nsqspring.sample.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.sun.management.OperatingSystemMXBean;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.JacksonNsqMessageConverter;
import io.github.nsqspring.core.NsqEnvelope;
import io.github.nsqspring.core.NsqEnvelopeTopics;
import io.github.nsqspring.core.NsqProducerSettings;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.test.NsqServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The cost of the NSQE envelope, measured in one run against one real nsqd this program starts: publishing
 * 100-byte String payloads with an envelope of two headers ({@code tenant} from a {@code Message} and the
 * converter's {@code content-type}) next to the same payloads without one, and a {@code @NsqListener}
 * consuming enveloped messages next to plain ones. Interleaved rounds, medians, ratios with / without of the
 * rate and of this process's CPU time per message (goal at least 0.9 each; on a machine busy with other work
 * the CPU time is the steadier of the two). The consume rate leaves out the last 1,000 messages. Not a test: run it with {@code ./mvnw -B -Pbench -pl sample-app -am verify -DskipTests}
 * (all benchmarks) or alone as the {@code envelope-benchmark} execution.
 */
public final class EnvelopeBenchmark {

	private static final int PUBLISH_MESSAGES = 200_000;

	// more than the listener benchmark's: a round of 200,000 lasts about two of nsq-j's flush ticks, whose steps
	// would decide the rate
	private static final int CONSUME_MESSAGES = 600_000;

	private static final int ROUNDS = 7;

	private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private static final String PAYLOAD = "x".repeat(100);

	/** The body length of an enveloped {@link #PAYLOAD} with its two headers. */
	private static final int ENVELOPED_LENGTH = NsqEnvelope.encode(
			Map.of("tenant", "tenant-1", "content-type", "text/plain;charset=UTF-8"), PAYLOAD.getBytes(StandardCharsets.UTF_8)).length;

	private final NsqServer nsqd;

	private int topics;

	private EnvelopeBenchmark(NsqServer nsqd) {
		this.nsqd = nsqd;
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/envelope.json");
		try (NsqServer nsqd = NsqServer.withArguments("--mem-queue-size=1000000")) {
			nsqd.start();
			Map<String, Object> results = new EnvelopeBenchmark(nsqd).run();
			Files.createDirectories(output.toAbsolutePath().getParent());
			Files.writeString(output, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
				.writeValueAsString(results));
			System.out.println("Written to " + output.toAbsolutePath());
		}
	}

	private Map<String, Object> run() throws Exception {
		NsqTemplate plain = template(NsqEnvelopeTopics.NONE);
		NsqTemplate enveloping = template(NsqEnvelopeTopics.ALL);
		Map<String, Object> results = new LinkedHashMap<>();
		try {
			results.put("publish sendAsync, 1 thread", compare("publish sendAsync, 1 thread (msgs/s)",
					(envelope) -> publishRate(envelope ? enveloping : plain, envelope, null)));
			// the same bytes on the wire: a plain payload as long as an enveloped one, so the ratio shows what the
			// envelope costs beyond its bytes
			results.put("publish sendAsync, 1 thread, same bytes", compare("publish sendAsync, plain payload as long as the envelope",
					(envelope) -> publishRate(envelope ? enveloping : plain, envelope, envelope ? null : ENVELOPED_LENGTH)));
			results.put("consume @NsqListener(String)", compare("consume @NsqListener(String), 6 threads (msgs/s)",
					(envelope) -> consumeRate(envelope ? enveloping : plain, envelope)));
		}
		finally {
			plain.stop();
			enveloping.stop();
		}
		return results;
	}

	private NsqTemplate template(NsqEnvelopeTopics topics) {
		NsqTemplate template = new NsqTemplate(NsqProducerSettings.of(List.of(this.nsqd.tcpAddress())),
				new JacksonNsqMessageConverter(JsonMapper.builder().build()));
		template.setEnvelopeTopics(topics);
		template.start();
		return template;
	}

	/**
	 * A warm-up of each, then {@link #ROUNDS} interleaved rounds; prints and returns the medians of the rate and of
	 * this process's CPU time per message, and their ratios.
	 */
	private Map<String, Object> compare(String name, Rate rate) throws Exception {
		rate.measure(false);
		rate.measure(true);
		double[][] without = new double[2][ROUNDS];
		double[][] with = new double[2][ROUNDS];
		for (int round = 0; round < ROUNDS; round++) {
			Measured plain = rate.measure(false);
			Measured enveloped = rate.measure(true);
			without[0][round] = plain.rate();
			without[1][round] = plain.cpuMicros();
			with[0][round] = enveloped.rate();
			with[1][round] = enveloped.cpuMicros();
		}
		double ratio = median(with[0]) / median(without[0]);
		double cpuRatio = median(without[1]) / median(with[1]);
		System.out.printf("%-44s msgs/s without %,9.0f  with %,9.0f  ratio %.2f;  CPU us/msg without %.2f  with %.2f  "
				+ "ratio %.2f (goal >= 0.9)%n    rounds msgs/s %s / %s%n", name, median(without[0]), median(with[0]), ratio,
				median(without[1]), median(with[1]), cpuRatio, rounded(without[0]), rounded(with[0]));
		return Map.of("without", median(without[0]), "withEnvelope", median(with[0]), "ratio", ratio, "cpuMicrosWithout",
				median(without[1]), "cpuMicrosWithEnvelope", median(with[1]), "cpuRatio", cpuRatio, "roundsWithout",
				rounded(without[0]), "roundsWith", rounded(with[0]));
	}

	private Measured publishRate(NsqTemplate template, boolean envelope, @Nullable Integer plainLength) throws Exception {
		String topic = topic();
		String longer = (plainLength != null) ? "x".repeat(plainLength) : PAYLOAD;
		Function<Integer, Object> payload = (plainLength != null) ? (i) -> longer : payloads(envelope);
		long startCpu = OS.getProcessCpuTime();
		long start = System.nanoTime();
		List<CompletableFuture<Void>> sends = new ArrayList<>(PUBLISH_MESSAGES);
		for (int i = 0; i < PUBLISH_MESSAGES; i++) {
			sends.add(template.sendAsync(topic, payload.apply(i)));
		}
		sends.forEach(CompletableFuture::join);
		double rate = PUBLISH_MESSAGES / ((System.nanoTime() - start) / 1e9);
		double cpuMicros = (OS.getProcessCpuTime() - startCpu) / 1e3 / PUBLISH_MESSAGES;
		requireOnNsqd(topic, PUBLISH_MESSAGES);
		this.nsqd.deleteTopic(topic);
		return new Measured(rate, cpuMicros);
	}

	private Measured consumeRate(NsqTemplate template, boolean envelope) throws Exception {
		String topic = topic();
		this.nsqd.createChannel(topic, "bench");
		Function<Integer, Object> payload = payloads(envelope);
		List<Object> batch = new ArrayList<>(1000);
		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int i = 0; i < CONSUME_MESSAGES; i++) {
			batch.add(payload.apply(i));
			if (batch.size() == 1000) {
				sends.add(template.sendBatchAsync(topic, List.copyOf(batch)));
				batch.clear();
			}
		}
		sends.forEach(CompletableFuture::join);
		requireOnNsqd(topic, CONSUME_MESSAGES);
		ListenerBenchmark.settle();
		ConsumeApp.counter = new ListenerBenchmark.Counter(CONSUME_MESSAGES);
		try (ConfigurableApplicationContext context = BenchApplication.run(ConsumeApp.class,
				Map.of("nsq.nsqd-addresses", this.nsqd.tcpAddress(), "bench.topic", topic))) {
			ConsumeApp.counter.await();
			return new Measured(ConsumeApp.counter.bulkRate(), ConsumeApp.counter.cpuMicrosPerMessage());
		}
		finally {
			this.nsqd.deleteTopic(topic);
		}
	}

	/**
	 * The payloads: with the envelope one of 16 {@code Message}s with a {@code tenant} header (the second header
	 * is {@code content-type}), built beforehand: what is measured is the template, not {@code MessageBuilder}.
	 */
	private static Function<Integer, Object> payloads(boolean envelope) {
		if (!envelope) {
			return (i) -> PAYLOAD;
		}
		List<Object> messages = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			messages.add(MessageBuilder.withPayload(PAYLOAD).setHeader("tenant", "tenant-" + i).build());
		}
		return (i) -> messages.get(i % 16);
	}

	private void requireOnNsqd(String topic, int messages) {
		long onNsqd = this.nsqd.stats().topic(topic).messageCount();
		if (onNsqd != messages) {
			throw new IllegalStateException("nsqd has " + onNsqd + " messages on " + topic + ", expected " + messages);
		}
	}

	private String topic() {
		return "envelope-bench-" + (this.topics++);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private static List<Long> rounded(double[] values) {
		return Arrays.stream(values).mapToObj(Math::round).toList();
	}

	@FunctionalInterface
	private interface Rate {

		Measured measure(boolean envelope) throws Exception;

	}

	/** Messages per second, and this process's CPU time per message (leaving out the consumer's last ones). */
	private record Measured(double rate, double cpuMicros) {
	}

	@EnableAutoConfiguration
	static class ConsumeApp {

		static volatile ListenerBenchmark.Counter counter;

		@NsqListener(topic = "${bench.topic}", channel = "bench", concurrency = "" + ListenerBenchmark.CONSUME_THREADS,
				maxInFlight = "2500")
		void onMessage(String body) {
			if (body.length() != PAYLOAD.length()) {
				throw new IllegalStateException("Payload of " + body.getBytes(StandardCharsets.UTF_8).length + " bytes");
			}
			counter.count();
		}

	}

}
