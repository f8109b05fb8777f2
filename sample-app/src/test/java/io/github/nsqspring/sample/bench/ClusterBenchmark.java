package io.github.nsqspring.sample.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.sample.bench.chart.BenchCharts;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Few RDY over many nsqd: one {@code @NsqListener} (concurrency {@value #CONCURRENCY}, handlers of
 * {@value #HANDLER_MILLIS} ms) discovering {@value #NSQD} real nsqd through a real nsqlookupd, with
 * {@value #PER_NSQD} messages waiting on each. For max-in-flight 2 and 12, with the backlog-aware RDY on
 * and off ({@code nsq.consumer.backlog-aware-rdy=false}: nsq-j's rotation of one RDY every 10 s), all in
 * one run: the efficiency, the ideal time ({@value #NSQD} x {@value #PER_NSQD} x {@value #HANDLER_MILLIS}
 * ms / concurrency) divided by the time from the first handler's start to the last handler's end; and as
 * the ceiling of each max-in-flight, the same {@value #NSQD} x {@value #PER_NSQD} messages on one nsqd (no
 * RDY to distribute: what is left is the round trip from each FIN to the next message). Not a
 * test: run with {@code ./mvnw -B -Pbench -pl sample-app -am verify -DskipTests}. The table is printed and
 * written as JSON to the path given as the first argument, and drawn as {@code docs/images/cluster-benchmark.svg}.
 */
public final class ClusterBenchmark {

	static final int NSQD = 6;

	static final int PER_NSQD = 100;

	static final int CONCURRENCY = 2;

	static final long HANDLER_MILLIS = 20;

	static final int[] MAX_IN_FLIGHT = { 2, 12 };

	static final String BACKLOG_AWARE = "backlog-aware";

	static final String ROTATION = "nsq-j rotation";

	static final String ONE_NSQD = "all on one nsqd";

	private final NsqCluster cluster;

	private ClusterBenchmark(NsqCluster cluster) {
		this.cluster = cluster;
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/cluster.json");
		try (NsqCluster cluster = NsqCluster.of(NSQD).start()) {
			new ClusterBenchmark(cluster).run(output);
		}
	}

	private void run(Path output) throws Exception {
		double idealMillis = NSQD * PER_NSQD * HANDLER_MILLIS / (double) CONCURRENCY;
		List<Map<String, Object>> cases = new ArrayList<>();
		System.out.printf("cluster: %d nsqd behind nsqlookupd, %d messages each, handlers of %d ms, concurrency %d, ideal %.0f ms%n",
				NSQD, PER_NSQD, HANDLER_MILLIS, CONCURRENCY, idealMillis);
		System.out.printf("  %-14s %-22s %12s %11s%n", "max-in-flight", "RDY distribution", "first-last ms", "efficiency");
		for (int maxInFlight : MAX_IN_FLIGHT) {
			for (String distribution : List.of(BACKLOG_AWARE, ROTATION, ONE_NSQD)) {
				double millis = consume(maxInFlight, distribution);
				double efficiency = idealMillis / millis;
				int handled = ClusterApp.timing.handled();
				String unfinished = (handled < NSQD * PER_NSQD)
						? String.format("   only %d of %d handled after %d s: efficiency at most", handled, NSQD * PER_NSQD,
								Timing.LIMIT_SECONDS) : "";
				System.out.printf("  %-14d %-22s %12.0f %11.2f%s%n", maxInFlight, distribution, millis, efficiency, unfinished);
				cases.add(Map.of("maxInFlight", maxInFlight, "distribution", distribution, "firstToLastMillis", millis,
						"efficiency", efficiency, "handled", handled));
			}
		}
		System.out.println("  goals: >= 0.8 at max-in-flight 2 (backlog-aware), >= 0.9 at 12");
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("nsqd", NSQD);
		results.put("messagesPerNsqd", PER_NSQD);
		results.put("handlerMillis", HANDLER_MILLIS);
		results.put("concurrency", CONCURRENCY);
		results.put("idealMillis", idealMillis);
		results.put("cases", cases);
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
			.writeValueAsString(results));
		System.out.println("Written to " + output.toAbsolutePath());
		BenchCharts.cluster(output);
	}

	/**
	 * Consumes a fresh topic holding {@value #PER_NSQD} messages on every nsqd (or all of them on the first);
	 * the first handler's start to the last one's end.
	 */
	private double consume(int maxInFlight, String distribution) throws Exception {
		String topic = "cluster-" + maxInFlight + "-" + distribution.replace(' ', '-');
		List<NsqServer> nsqds = distribution.equals(ONE_NSQD) ? List.of(this.cluster.nsqd(0)) : this.cluster.nsqds();
		for (NsqServer nsqd : nsqds) {
			nsqd.createChannel(topic, "bench");
			List<String> bodies = new ArrayList<>();
			for (int i = 0; i < NSQD * PER_NSQD / nsqds.size(); i++) {
				bodies.add(nsqd.tcpAddress() + "-" + i);
			}
			nsqd.publishBatch(topic, bodies);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.cluster.lookupd().lookup(topic).size() < nsqds.size() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		boolean backlogAware = !distribution.equals(ROTATION);
		ClusterApp.timing = new Timing(NSQD * PER_NSQD);
		try (ConfigurableApplicationContext context = application(Map.of("bench.topic", topic, "bench.max-in-flight",
				maxInFlight, "nsq.consumer.backlog-aware-rdy", backlogAware))) {
			ListenerBenchmark.settle();
			context.getBean(NsqListenerRegistry.class).getContainer(ClusterApp.LISTENER_ID).orElseThrow().start();
			return ClusterApp.timing.awaitMillis();
		}
	}

	private ConfigurableApplicationContext application(Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.put("nsq.lookupd-addresses", this.cluster.lookupd().httpAddress());
		return BenchApplication.run(ClusterApp.class, all);
	}

	/** The first handler's start and the last handler's end. */
	static final class Timing {

		static final int LIMIT_SECONDS = 240;

		private final AtomicInteger done = new AtomicInteger();

		private final AtomicLong first = new AtomicLong();

		private final CountDownLatch all = new CountDownLatch(1);

		private final int expected;

		private volatile long last;

		Timing(int expected) {
			this.expected = expected;
		}

		void started() {
			this.first.compareAndSet(0, System.nanoTime());
		}

		void ended() {
			if (this.done.incrementAndGet() == this.expected) {
				this.last = System.nanoTime();
				this.all.countDown();
			}
		}

		/** Waits for the last message, at most {@value #LIMIT_SECONDS} s: then the time so far, a lower bound. */
		double awaitMillis() throws InterruptedException {
			if (!this.all.await(LIMIT_SECONDS, TimeUnit.SECONDS)) {
				return (System.nanoTime() - this.first.get()) / 1e6;
			}
			return (this.last - this.first.get()) / 1e6;
		}

		int handled() {
			return this.done.get();
		}

	}

	/** A source of {@link SpringApplicationBuilder}, not a {@code @Configuration}: the sample's scan never picks it up. */
	@EnableAutoConfiguration
	static class ClusterApp {

		static final String LISTENER_ID = "cluster";

		static volatile Timing timing;

		@NsqListener(id = LISTENER_ID, topic = "${bench.topic}", channel = "bench", concurrency = "" + CONCURRENCY,
				maxInFlight = "${bench.max-in-flight}", autoStartup = "false")
		void onMessage(byte[] body) throws InterruptedException {
			timing.started();
			Thread.sleep(HANDLER_MILLIS);
			timing.ended();
		}

	}

}
