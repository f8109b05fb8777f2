package io.github.nsqspring.sample.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.sproutsocial.nsq.Client;
import com.sproutsocial.nsq.Publisher;
import io.github.nsqspring.core.JacksonNsqMessageConverter;
import io.github.nsqspring.core.NsqProducerSettings;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.sample.bench.chart.BenchCharts;
import io.github.nsqspring.test.NsqServer;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publish throughput of {@link NsqTemplate} next to raw nsq-j 1.2 {@link Publisher}, measured in the same
 * run against one real nsqd that this program starts. Not a test: run it with
 * {@code ./mvnw -B -Pbench -pl sample-app -am verify -DskipTests}. Every case runs five times on a fresh
 * topic after a warm-up; the median is reported, and nsqd's message count is checked after each run. The
 * table is printed and written as JSON to the path given as the first argument (default
 * {@code target/bench/publish.json}).
 *
 * <p>The batch sweep runs twice: {@code sendBatch} from one thread (one round trip per batch, so small
 * batches are bound by the round-trip time) and {@code sendBatchAsync} from one thread (batches
 * pipelined on the connections and merged while a write is busy).
 */
public final class PublishBenchmark {

	private static final int MAX_BODY_SIZE = 16 * 1024 * 1024;

	private static final int[] SWEEP_BATCH_SIZES = { 10, 50, 78, 100, 200, 500, 1000 };

	private static final int[] BODY_SIZES = { 100, 10 * 1024 };

	private static final String SWEEP_SYNC = "sweep-sync";

	private static final String SWEEP_ASYNC = "sweep-async";

	private static final int RUNS = 5;

	private final NsqServer nsqd;

	private final AtomicInteger topics = new AtomicInteger();

	private final List<Result> results = new ArrayList<>();

	private PublishBenchmark(NsqServer nsqd) {
		this.nsqd = nsqd;
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/publish.json");
		// a larger MPUB body limit than nsqd's default 5 MiB, so that 1000 x 10 KB fits in one batch
		try (NsqServer nsqd = NsqServer.withArguments("--max-body-size=" + MAX_BODY_SIZE)) {
			nsqd.start();
			new PublishBenchmark(nsqd).run(output);
		}
	}

	private void run(Path output) throws Exception {
		NsqTemplate template = new NsqTemplate(settings(), new JacksonNsqMessageConverter(JsonMapper.builder().build()));
		template.start();
		Client client = new Client();
		Publisher publisher = new Publisher(client, this.nsqd.tcpAddress(), null);
		byte[] small = new byte[100];
		List<Case> cases = new ArrayList<>();
		cases.add(new Case("compare", "nsq-j Publisher.publish, 1 thread", 100, 1, 10_000,
				(topic, count) -> repeat(count, () -> publisher.publish(topic, small))));
		cases.add(new Case("compare", "NsqTemplate.send, 1 thread", 100, 1, 10_000,
				(topic, count) -> repeat(count, () -> template.send(topic, small))));
		cases.add(new Case("compare", "nsq-j Publisher.publish, 16 threads sharing it", 100, 1, 16_000,
				(topic, count) -> onThreads(16, count, () -> publisher.publish(topic, small))));
		cases.add(new Case("compare", "NsqTemplate.send, 16 threads", 100, 1, 64_000,
				(topic, count) -> onThreads(16, count, () -> template.send(topic, small))));
		cases.add(new Case("compare", "NsqTemplate.sendAsync, 1 thread", 100, 1, 400_000,
				(topic, count) -> sendAsync(template, topic, count, small)));
		cases.add(new Case("compare", "nsq-j Publisher.publish(List) of 78", 100, 78, 390_000,
				(topic, count) -> inBatches(count, 78, small, (batch) -> publisher.publish(topic, batch))));
		cases.add(new Case("compare", "nsq-j Publisher.publish(List) of 100", 100, 100, 3_000,
				(topic, count) -> inBatches(count, 100, small, (batch) -> publisher.publish(topic, batch))));
		cases.add(new Case("compare", "NsqTemplate.sendBatch of 100", 100, 100, 400_000,
				(topic, count) -> inBatches(count, 100, small, (batch) -> template.sendBatch(topic, batch))));
		// a single frame above 8 KB: nsq-j's socket (no TCP_NODELAY, 8 KB buffer) stalls ~40 ms on each
		byte[] large = new byte[10 * 1024];
		cases.add(new Case("compare", "nsq-j Publisher.publish 10 KB, 1 thread", large.length, 1, 40,
				(topic, count) -> repeat(count, () -> publisher.publish(topic, large))));
		cases.add(new Case("compare", "NsqTemplate.send 10 KB, 1 thread", large.length, 1, 5_000,
				(topic, count) -> repeat(count, () -> template.send(topic, large))));
		for (int bodySize : BODY_SIZES) {
			byte[] body = new byte[bodySize];
			for (int batchSize : SWEEP_BATCH_SIZES) {
				// about a quarter of a second per run or more, so that a hiccup of the machine is not the result
				int count = (bodySize == 100) ? 500_000 : 50_000;
				cases.add(new Case(SWEEP_SYNC, "NsqTemplate.sendBatch, 1 thread", bodySize, batchSize, count,
						(topic, n) -> inBatches(n, batchSize, body, (batch) -> template.sendBatch(topic, batch))));
				cases.add(new Case(SWEEP_ASYNC, "NsqTemplate.sendBatchAsync, 1 thread", bodySize, batchSize, count,
						(topic, n) -> sendBatchAsync(template, topic, n, batchSize, body)));
			}
		}
		try {
			measure(cases);
		}
		finally {
			template.stop();
			client.stop();
		}
		report(output);
	}

	private NsqProducerSettings settings() {
		NsqProducerSettings defaults = NsqProducerSettings.of(List.of(this.nsqd.tcpAddress()));
		return new NsqProducerSettings(defaults.nsqdAddresses(), defaults.timeout(), defaults.connections(),
				defaults.maxMessageSize(), MAX_BODY_SIZE, defaults.maxDeferral(), defaults.failbackInterval(),
				defaults.batchMaxMessages(), defaults.batchMaxBytes(), defaults.heartbeatInterval(), defaults.maxPending(),
				defaults.compression(), defaults.deflateLevel());
	}

	/**
	 * Warms every case up, then runs all cases once per round, {@link #RUNS} rounds, so that a burst of
	 * noise on the machine spreads over the cases instead of hitting one; reports each case's median.
	 */
	private void measure(List<Case> cases) throws Exception {
		for (Case each : cases) {
			each.workload().run(topic(), Math.max(each.batchSize(), each.messages() / 10));
		}
		double[][] rates = new double[cases.size()][RUNS];
		for (int run = 0; run < RUNS; run++) {
			for (int i = 0; i < cases.size(); i++) {
				rates[i][run] = measureOnce(cases.get(i));
			}
		}
		for (int i = 0; i < cases.size(); i++) {
			Case each = cases.get(i);
			Arrays.sort(rates[i]);
			Result result = new Result(each.group(), each.name(), each.bodySize(), each.batchSize(), each.messages(),
					Math.round(rates[i][RUNS / 2]));
			this.results.add(result);
			System.out.printf("%-11s %-48s body %6d B  batch %5d  %,11d msgs/s%n", result.group(), result.name(),
					result.bodySize(), result.batchSize(), result.messagesPerSecond());
		}
	}

	private double measureOnce(Case each) throws Exception {
		String topic = topic();
		long start = System.nanoTime();
		each.workload().run(topic, each.messages());
		double rate = each.messages() / ((System.nanoTime() - start) / 1e9);
		long onNsqd = this.nsqd.stats().topic(topic).messageCount();
		if (onNsqd != each.messages()) {
			throw new IllegalStateException(each.name() + ": nsqd has " + onNsqd + " messages, expected " + each.messages());
		}
		this.nsqd.deleteTopic(topic);
		return rate;
	}

	/**
	 * An ephemeral topic: beyond its memory queue nsqd drops its messages instead of writing them to
	 * disk, so the runs measure the client and the protocol rather than nsqd's storage (and a 10 KB run
	 * does not leave hundreds of MB behind). nsqd still counts every message it accepted.
	 */
	private String topic() {
		return "bench-" + this.topics.incrementAndGet() + "#ephemeral";
	}

	private void report(Path output) throws Exception {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("nsqd", "v1.3.0, --max-body-size=" + MAX_BODY_SIZE + ", ephemeral topics, loopback");
		document.put("processors", Runtime.getRuntime().availableProcessors());
		document.put("runsPerCase", RUNS);
		document.put("results", this.results);
		Map<String, Object> ratios = new LinkedHashMap<>();
		ratio(ratios, "NsqTemplate.send, 1 thread", "nsq-j Publisher.publish, 1 thread");
		ratio(ratios, "NsqTemplate.send, 16 threads", "nsq-j Publisher.publish, 16 threads sharing it");
		ratio(ratios, "NsqTemplate.sendAsync, 1 thread", "nsq-j Publisher.publish, 1 thread");
		ratio(ratios, "NsqTemplate.sendBatch of 100", "nsq-j Publisher.publish(List) of 100");
		ratio(ratios, "NsqTemplate.sendBatch of 100", "nsq-j Publisher.publish(List) of 78");
		ratio(ratios, "NsqTemplate.send 10 KB, 1 thread", "nsq-j Publisher.publish 10 KB, 1 thread");
		document.put("ratios", ratios);
		Map<String, Object> sweepCheck = new LinkedHashMap<>();
		for (String sweep : List.of(SWEEP_SYNC, SWEEP_ASYNC)) {
			for (int bodySize : BODY_SIZES) {
				List<Result> points = this.results.stream()
					.filter((result) -> result.group().equals(sweep) && result.bodySize() == bodySize)
					.toList();
				Result best = points.stream().max(Comparator.comparingLong(Result::messagesPerSecond)).orElseThrow();
				Result worst = points.stream().min(Comparator.comparingLong(Result::messagesPerSecond)).orElseThrow();
				boolean withinHalf = worst.messagesPerSecond() * 2 >= best.messagesPerSecond();
				sweepCheck.put(sweep + " " + bodySize + "B",
						Map.of("bestBatch", best.batchSize(), "best", best.messagesPerSecond(), "worstBatch",
								worst.batchSize(), "worst", worst.messagesPerSecond(), "worstAtLeastHalfOfBest",
								withinHalf));
				System.out.printf("%-11s %6d B: best %,d msgs/s (batch %d), worst %,d msgs/s (batch %d): %s%n", sweep,
						bodySize, best.messagesPerSecond(), best.batchSize(), worst.messagesPerSecond(),
						worst.batchSize(), withinHalf ? "no point below half of the best" : "a point is below half of the best");
			}
		}
		document.put("sweepCheck", sweepCheck);
		Files.createDirectories(output.toAbsolutePath().getParent());
		JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(output.toFile(), document);
		System.out.println("Written " + output.toAbsolutePath());
		BenchCharts.batchSweep(output);
	}

	private void ratio(Map<String, Object> ratios, String name, String baseline) {
		double ratio = (double) rate(name) / rate(baseline);
		ratios.put(name + " / " + baseline, Math.round(ratio * 100) / 100.0);
		System.out.printf("ratio %-34s / %-46s %8.2f%n", name, baseline, ratio);
	}

	private long rate(String name) {
		return this.results.stream()
			.filter((result) -> result.name().equals(name))
			.findFirst()
			.orElseThrow()
			.messagesPerSecond();
	}

	private static void repeat(int count, ThrowingRunnable action) throws Exception {
		for (int i = 0; i < count; i++) {
			action.run();
		}
	}

	private static void onThreads(int threads, int count, ThrowingRunnable action) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					repeat(count / threads, action);
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			executor.shutdown();
		}
	}

	private static void sendAsync(NsqTemplate template, String topic, int count, byte[] body) {
		CompletableFuture<?>[] futures = new CompletableFuture<?>[count];
		for (int i = 0; i < count; i++) {
			futures[i] = template.sendAsync(topic, body);
		}
		CompletableFuture.allOf(futures).join();
	}

	private static void sendBatchAsync(NsqTemplate template, String topic, int count, int batchSize, byte[] body)
			throws Exception {
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		inBatches(count, batchSize, body, (batch) -> futures.add(template.sendBatchAsync(topic, batch)));
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
	}

	private static void inBatches(int count, int batchSize, byte[] body, BatchAction action) throws Exception {
		List<byte[]> batch = new ArrayList<>(batchSize);
		for (int i = 0; i < batchSize; i++) {
			batch.add(body);
		}
		for (int sent = 0; sent < count; sent += batchSize) {
			action.send((count - sent >= batchSize) ? batch : batch.subList(0, count - sent));
		}
	}

	@FunctionalInterface
	private interface Workload {

		void run(String topic, int messages) throws Exception;

	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run() throws Exception;

	}

	@FunctionalInterface
	private interface BatchAction {

		void send(List<byte[]> batch) throws Exception;

	}

	/** A workload and what it sends. */
	private record Case(String group, String name, int bodySize, int batchSize, int messages, Workload workload) {
	}

	/** One measured case: the median rate of its runs. */
	record Result(String group, String name, int bodySize, int batchSize, int messages, long messagesPerSecond) {
	}

}
