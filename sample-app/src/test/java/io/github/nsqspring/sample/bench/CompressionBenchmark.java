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
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.management.OperatingSystemMXBean;
import io.github.nsqspring.core.JacksonNsqMessageConverter;
import io.github.nsqspring.core.NsqCompression;
import io.github.nsqspring.core.NsqProducerSettings;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.test.NsqServer;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link NsqTemplate#sendAsync} of compressible 1 KB JSON bodies (all different) with
 * {@code nsq.producer.compression} none, snappy and deflate (level 6, the default, and 1), in one run
 * against one real nsqd v1.3.0 this program starts. Not a test: run it with
 * {@code ./mvnw -B -Pbench -pl sample-app -am verify -DskipTests}. Each variant runs once per round after a
 * warm-up, alternating, {@link #ROUNDS} rounds; the medians of msgs/s and of this JVM's CPU time per
 * message are reported with the ratios against none, and nsqd's message count is checked after each run.
 * Written as JSON to the path given as the first argument (default {@code target/bench/compression.json}).
 */
public final class CompressionBenchmark {

	private static final int ROUNDS = 5;

	private static final int MESSAGES = 200_000;

	private static final int BODY_SIZE = 1024;

	private static final List<Variant> VARIANTS = List.of(new Variant("none", NsqCompression.NONE, 6),
			new Variant("snappy", NsqCompression.SNAPPY, 6), new Variant("deflate", NsqCompression.DEFLATE, 6),
			new Variant("deflate-1", NsqCompression.DEFLATE, 1));

	private static final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private final AtomicInteger topics = new AtomicInteger();

	private final List<byte[]> bodies = bodies();

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/compression.json");
		try (NsqServer nsqd = NsqServer.create()) {
			nsqd.start();
			new CompressionBenchmark().run(nsqd, output);
		}
	}

	/** 1,000 different order-like JSON documents of 1 KB: what applications typically publish. */
	private static List<byte[]> bodies() {
		Random random = new Random(7);
		String[] items = { "cup", "plate", "bowl", "spoon", "fork", "knife", "glass", "napkin" };
		List<byte[]> bodies = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			StringBuilder body = new StringBuilder("{\"orderId\":\"" + Long.toHexString(random.nextLong())
					+ "\",\"customer\":{\"id\":" + random.nextInt(1_000_000) + ",\"country\":\"DE\"},\"lines\":[");
			while (body.length() < BODY_SIZE - 60) {
				body.append("{\"item\":\"")
					.append(items[random.nextInt(items.length)])
					.append("\",\"quantity\":")
					.append(1 + random.nextInt(20))
					.append(",\"price\":")
					.append(random.nextInt(10_000) / 100.0)
					.append("},");
			}
			body.setLength(body.length() - 1);
			body.append("],\"created\":\"2026-12-01T18:00:00Z\"}");
			while (body.length() < BODY_SIZE) {
				body.append(' ');
			}
			bodies.add(body.substring(0, BODY_SIZE).getBytes(StandardCharsets.UTF_8));
		}
		return bodies;
	}

	private void run(NsqServer nsqd, Path output) throws Exception {
		JacksonNsqMessageConverter converter = new JacksonNsqMessageConverter(JsonMapper.builder().build());
		List<NsqTemplate> templates = new ArrayList<>();
		for (Variant variant : VARIANTS) {
			templates.add(new NsqTemplate(NsqProducerSettings.of(List.of(nsqd.tcpAddress()))
				.withCompression(variant.compression(), variant.deflateLevel()), converter));
		}
		templates.forEach(NsqTemplate::start);
		Map<String, Object> results = new LinkedHashMap<>();
		try {
			for (NsqTemplate template : templates) {
				measure(template, nsqd, MESSAGES / 10);
			}
			double[][] rates = new double[VARIANTS.size()][ROUNDS];
			double[][] cpu = new double[VARIANTS.size()][ROUNDS];
			for (int round = 0; round < ROUNDS; round++) {
				for (int i = 0; i < VARIANTS.size(); i++) {
					Run run = measure(templates.get(i), nsqd, MESSAGES);
					rates[i][round] = run.messagesPerSecond();
					cpu[i][round] = run.cpuMicrosPerMessage();
				}
			}
			for (int i = 0; i < VARIANTS.size(); i++) {
				double rate = median(rates[i]);
				double micros = median(cpu[i]);
				double rateRatio = Math.round(100.0 * rate / median(rates[0])) / 100.0;
				double cpuRatio = Math.round(100.0 * micros / median(cpu[0])) / 100.0;
				String name = VARIANTS.get(i).name();
				System.out.printf("sendAsync 1 KB JSON, %-9s %,10d msgs/s (%.2f of none)   %6.2f CPU us/msg (%.2f of none)%n",
						name, Math.round(rate), rateRatio, micros, cpuRatio);
				results.put(name, Map.of("messagesPerSecond", Math.round(rate), "rateOverNone", rateRatio,
						"cpuMicrosPerMessage", Math.round(micros * 100) / 100.0, "cpuOverNone", cpuRatio));
			}
			System.out.println("Producers on nsqd: " + nsqd.stats().producers());
		}
		finally {
			templates.forEach(NsqTemplate::stop);
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("nsqd", "v1.3.0 (--snappy and --deflate on by default), ephemeral topics, loopback");
		document.put("processors", Runtime.getRuntime().availableProcessors());
		document.put("rounds", ROUNDS);
		document.put("messages", MESSAGES);
		document.put("results", results);
		Files.createDirectories(output.toAbsolutePath().getParent());
		JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(output.toFile(), document);
		System.out.println("Written " + output.toAbsolutePath());
	}

	private Run measure(NsqTemplate template, NsqServer nsqd, int messages) {
		String topic = "compression-bench-" + this.topics.incrementAndGet() + "#ephemeral";
		long cpuStart = os.getProcessCpuTime();
		long start = System.nanoTime();
		List<CompletableFuture<Void>> futures = new ArrayList<>(messages);
		for (int i = 0; i < messages; i++) {
			futures.add(template.sendAsync(topic, this.bodies.get(i % this.bodies.size())));
		}
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpuMicros = (os.getProcessCpuTime() - cpuStart) / 1e3;
		long arrived = nsqd.stats().topic(topic).messageCount();
		if (arrived != messages) {
			throw new IllegalStateException(template + ": nsqd has " + arrived + " messages, expected " + messages);
		}
		nsqd.deleteTopic(topic);
		return new Run(messages / seconds, cpuMicros / messages);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	private record Run(double messagesPerSecond, double cpuMicrosPerMessage) {
	}

	/** A compression to measure: deflate at its level. */
	private record Variant(String name, NsqCompression compression, int deflateLevel) {
	}

}
