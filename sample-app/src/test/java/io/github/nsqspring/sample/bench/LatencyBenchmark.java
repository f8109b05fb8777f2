package io.github.nsqspring.sample.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.sproutsocial.nsq.Client;
import com.sproutsocial.nsq.Config;
import com.sproutsocial.nsq.DirectSubscriber;
import com.sun.management.OperatingSystemMXBean;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.sample.bench.chart.BenchCharts;
import io.github.nsqspring.test.NsqServer;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Latency from publish to the start of the handler, at {@value #RATE} msgs/s for {@value #SECONDS} s per
 * case, against one nsqd that this program starts (with {@code --min-output-buffer-timeout=1ms}, so that a
 * listener may ask for less than nsqd's default minimum of 25 ms). The cases differ only in
 * {@code nsq.consumer.output-buffer-timeout} (250 ms, the default, then 5 ms and 1 ms) for a listener with
 * concurrency {@value #CONCURRENCY} and max-in-flight {@value #MAX_IN_FLIGHT}, plus one listener with every
 * default (concurrency 1, max-in-flight 1). The publisher is the template in the same JVM, one synchronous
 * send every millisecond; each body carries {@link System#nanoTime()} taken just before its send, and the
 * handler records the difference when it starts. Reported per case: p50, p99, p99.9 and max in
 * milliseconds, and CPU time per message of this process (publisher and listener) and of nsqd. Each case
 * runs a {@value #WARMUP_SECONDS} s warm-up first. Not a test: run with
 * {@code ./mvnw -B -Pbench -pl sample-app -am verify -DskipTests}.
 */
public final class LatencyBenchmark {

	static final int RATE = 1000;

	static final int SECONDS = 20;

	static final int WARMUP_SECONDS = 3;

	static final int CONCURRENCY = 4;

	static final int MAX_IN_FLIGHT = 50;

	private final NsqServer nsqd;

	private LatencyBenchmark(NsqServer nsqd) {
		this.nsqd = nsqd;
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/latency.json");
		try (NsqServer nsqd = NsqServer.withArguments("--min-output-buffer-timeout=1ms").start()) {
			new LatencyBenchmark(nsqd).run(output);
		}
	}

	private void run(Path output) throws Exception {
		List<Map<String, Object>> cases = new ArrayList<>();
		System.out.println();
		System.out.println("latency: publish -> handler start, " + RATE + " msgs/s for " + SECONDS + " s per case, one nsqd, "
				+ "handler does nothing");
		System.out.printf("  %-64s %8s %8s %8s %8s %12s %13s%n", "case", "p50 ms", "p99 ms", "p99.9 ms", "max ms",
				"app CPU us/msg", "nsqd CPU us/msg");
		try (ConfigurableApplicationContext publisher = application(PublisherApp.class, Map.of())) {
			NsqOperations operations = publisher.getBean(NsqOperations.class);
			cases.add(measure(operations, "defaults (concurrency 1, max-in-flight 1)", "latency-defaults", Map.of()));
			for (String timeout : List.of("250ms", "5ms", "1ms")) {
				String name = "concurrency " + CONCURRENCY + ", max-in-flight " + MAX_IN_FLIGHT + ", output-buffer-timeout " + timeout;
				cases.add(measure(operations, name, "latency-" + timeout,
						Map.of("nsq.consumer.concurrency", CONCURRENCY, "nsq.consumer.max-in-flight", MAX_IN_FLIGHT,
								"nsq.consumer.output-buffer-timeout", timeout)));
			}
			cases.add(measureRaw(operations));
		}
		System.out.println("  load average (1, 5, 15 min, running/threads) after the run: "
				+ Files.readString(Path.of("/proc/loadavg")).trim());
		double defaultP99 = (double) cases.get(1).get("p99Millis");
		double lowP99 = (double) cases.get(2).get("p99Millis");
		System.out.printf("  output-buffer-timeout 5ms: p99 %.2f ms (goal <= 10 ms), next to %.2f ms at 250ms%n", lowP99, defaultP99);
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
			.writeValueAsString(Map.of("rate", RATE, "seconds", SECONDS, "cases", cases)));
		System.out.println("Written to " + output.toAbsolutePath());
		BenchCharts.latency(output);
	}

	private Map<String, Object> measure(NsqOperations operations, String name, String topic, Map<String, Object> settings)
			throws Exception {
		this.nsqd.createChannel(topic, "bench");
		Map<String, Object> properties = new LinkedHashMap<>(settings);
		properties.put("bench.topic", topic);
		try (ConfigurableApplicationContext context = application(LatencyApp.class, properties)) {
			return run(operations, name, topic, settings);
		}
	}

	/** Warm-up, then the measured run, of the consumer subscribed to the topic (a listener or the raw one). */
	private Map<String, Object> run(NsqOperations operations, String name, String topic, Map<String, Object> settings)
			throws Exception {
		LatencyApp.recorder = new Recorder(RATE * WARMUP_SECONDS);
		publish(operations, topic, RATE * WARMUP_SECONDS);
		LatencyApp.recorder.await();
		Recorder recorder = new Recorder(RATE * SECONDS);
		LatencyApp.recorder = recorder;
		long appCpu = processCpuNanos();
		long nsqdCpu = nsqdCpuNanos();
		publish(operations, topic, RATE * SECONDS);
		recorder.await();
		double appMicros = (processCpuNanos() - appCpu) / 1e3 / recorder.expected;
		double nsqdMicros = (nsqdCpuNanos() - nsqdCpu) / 1e3 / recorder.expected;
		long[] sorted = recorder.sorted();
		double p50 = millis(percentile(sorted, 0.50));
		double p99 = millis(percentile(sorted, 0.99));
		double p999 = millis(percentile(sorted, 0.999));
		double max = millis(sorted[sorted.length - 1]);
		System.out.printf("  %-64s %8.2f %8.2f %8.2f %8.2f %12.1f %13.1f%n", name, p50, p99, p999, max, appMicros, nsqdMicros);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("case", name);
		result.put("settings", settings);
		result.put("p50Millis", p50);
		result.put("p99Millis", p99);
		result.put("p999Millis", p999);
		result.put("maxMillis", max);
		result.put("appCpuMicrosPerMessage", appMicros);
		result.put("nsqdCpuMicrosPerMessage", nsqdMicros);
		return result;
	}

	/**
	 * The baseline: a raw nsq-j {@link DirectSubscriber} (default client, its 6-thread pool) with the same
	 * max-in-flight, output buffer timeout 5 ms and FIN batching of at most 5 ms, whose handler records and
	 * finishes. Last, as nsq-j's default client cannot be used again once stopped.
	 */
	private Map<String, Object> measureRaw(NsqOperations operations) throws Exception {
		String topic = "latency-raw";
		this.nsqd.createChannel(topic, "bench");
		DirectSubscriber subscriber = new DirectSubscriber(1, this.nsqd.tcpAddress());
		Config config = new Config();
		config.setOutputBufferTimeout(5);
		subscriber.setConfig(config);
		subscriber.setMaxFlushDelayMillis(5);
		LatencyApp raw = new LatencyApp();
		subscriber.subscribe(topic, "bench", MAX_IN_FLIGHT, (message) -> {
			raw.onMessage(message.getData());
			message.finish();
		});
		try {
			return run(operations, "raw nsq-j, max-in-flight " + MAX_IN_FLIGHT + ", output-buffer-timeout 5ms", topic, Map.of());
		}
		finally {
			Client.getDefaultClient().stop(5000);
		}
	}

	/** One synchronous send per 1/RATE s, paced against the clock (a late send does not shift the rest). */
	private static void publish(NsqOperations operations, String topic, int messages) {
		long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
		long start = System.nanoTime();
		for (int i = 0; i < messages; i++) {
			long due = start + i * interval;
			long wait;
			while ((wait = due - System.nanoTime()) > 0) {
				LockSupport.parkNanos(wait);
			}
			operations.send(topic, Long.toString(System.nanoTime()).getBytes(StandardCharsets.US_ASCII));
		}
	}

	private static long percentile(long[] sorted, double fraction) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(fraction * sorted.length) - 1)];
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	private static long processCpuNanos() {
		return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	/** nsqd's user + system CPU time from /proc (Linux), in nanoseconds at 100 ticks per second. */
	private long nsqdCpuNanos() throws IOException {
		String stat = Files.readString(Path.of("/proc/" + this.nsqd.pid() + "/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return ticks * 10_000_000L;
	}

	private ConfigurableApplicationContext application(Class<?> source, Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.put("nsq.nsqd-addresses", this.nsqd.tcpAddress());
		all.put("spring.application.name", "bench");
		all.put("logging.level.root", "WARN");
		all.put("spring.main.banner-mode", "off");
		// an argument, which wins over the sample's application.properties: its archive listener would share the CPU
		return new SpringApplicationBuilder(source).web(WebApplicationType.NONE).properties(all).run("--nsq.archive.topics=");
	}

	/** Latencies of the expected number of messages; a message beyond them is not recorded. */
	static final class Recorder {

		final int expected;

		private final long[] latencies;

		private final AtomicInteger count = new AtomicInteger();

		Recorder(int expected) {
			this.expected = expected;
			this.latencies = new long[expected];
		}

		void record(long nanos) {
			int index = this.count.getAndIncrement();
			if (index < this.expected) {
				this.latencies[index] = nanos;
			}
		}

		void await() throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (this.count.get() < this.expected) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Only " + this.count.get() + " of " + this.expected + " messages arrived");
				}
				Thread.sleep(10);
			}
		}

		long[] sorted() {
			long[] copy = this.latencies.clone();
			Arrays.sort(copy);
			return copy;
		}

	}

	/** The template only. */
	@EnableAutoConfiguration
	static class PublisherApp {

	}

	@EnableAutoConfiguration
	static class LatencyApp {

		static volatile Recorder recorder;

		@NsqListener(topic = "${bench.topic}", channel = "bench")
		void onMessage(byte[] body) {
			long now = System.nanoTime();
			recorder.record(now - Long.parseLong(new String(body, StandardCharsets.US_ASCII)));
		}

	}

}
