package io.github.nsqspring.sample.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sproutsocial.nsq.Client;
import com.sproutsocial.nsq.Subscriber;
import com.sun.management.OperatingSystemMXBean;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.sample.bench.chart.BenchCharts;
import io.github.nsqspring.support.NsqHeaders;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;

/**
 * Listener benchmarks, each next to a baseline measured in the same run, against a real nsqlookupd + nsqd
 * that this program starts. Not a test: run with {@code ./mvnw -B -Pbench -pl sample-app -am verify -DskipTests}.
 * <ol>
 * <li>consume: 200,000 pre-published 100-byte messages through an {@code @NsqListener} (AUTO mode, no
 * work, 6 threads, in a full Spring Boot application with metrics: the plain {@code nsq.listener} timer,
 * observations off as by default, checked after each round to have counted every message) next to a raw
 * nsq-j {@link Subscriber} whose handler only finishes (its own 6-thread pool), at max-in-flight 200 and
 * 2500; median of 7 interleaved rounds after one warm-up round of each; also, for information, the same
 * listener with {@code @Payload} and {@code @Header} parameters, which goes through spring-messaging. Then,
 * after all those rounds (so that they run on a JIT profile without observations), the same
 * listener with {@code nsq.consumer.observation-enabled=true} (the {@code nsq.listener} observations make the
 * timer) next to raw nsq-j again: median of {@value #OBSERVED_ROUNDS} interleaved rounds after a warm-up
 * round of each. Two rates: from the first to the last message, and
 * from the first to the last but {@value #CONSUME_TAIL}. When the backlog runs dry, nsqd keeps the last
 * messages in its output buffer until its 250 ms flush tick, so the first rate comes in steps (200,000
 * messages in 0.5 s, 0.75 s, 1 s) set by where that tick falls; the second is the consumer's own pace. It
 * also reports this process's CPU time per message over the second window. Each consumer starts on a
 * settled JVM (no JIT compilation for 500 ms): the listener is declared with {@code autoStartup = "false"}
 * and started through the registry once its application has settled, so the JIT work of Spring Boot's
 * startup, which on a 2-core machine competes with nsqd for CPU, is not counted as consumption;</li>
 * <li>drain: 8 listeners x concurrency 4 with 1 s handlers under load, closed at a random moment: close
 * time next to the longest remaining handler time, and requeued/lost counts from nsqd's /stats;</li>
 * <li>memory: used heap and live threads after start with 100 listeners next to the same application
 * with none.</li>
 * </ol>
 * The table is printed and written as JSON to the path given as the first argument. The applications
 * below are sources of {@link SpringApplicationBuilder}, not {@code @Configuration} classes, so the
 * sample's component scan never picks them up.
 */
public final class ListenerBenchmark {

	static final int CONSUME_MESSAGES = 200_000;

	static final int CONSUME_THREADS = 6;

	static final int CONSUME_TAIL = 1000;

	static final int[] CONSUME_MAX_IN_FLIGHT = { 200, 2500 };

	static final int CONSUME_ROUNDS = 7;

	static final int OBSERVED_ROUNDS = 5;

	static final int ROUNDS = 5;

	static final int DRAIN_LISTENERS = 8;

	static final int DRAIN_PER_TOPIC = 100;

	static final long HANDLER_MILLIS = 1000;

	static final int MEMORY_LISTENERS = 100;

	private final NsqCluster cluster;

	private final NsqServer nsqd;

	private final Map<String, Object> results = new LinkedHashMap<>();

	private ListenerBenchmark(NsqCluster cluster) {
		this.cluster = cluster;
		this.nsqd = cluster.nsqd(0);
	}

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/listener.json");
		// a memory queue for all messages: the benchmark measures the clients, not nsqd's disk queue
		try (NsqCluster cluster = NsqCluster.of(1, "--mem-queue-size=1000000").start()) {
			new ListenerBenchmark(cluster).run(output);
		}
	}

	private void run(Path output) throws Exception {
		consume();
		drain();
		memory();
		Files.createDirectories(output.toAbsolutePath().getParent());
		Files.writeString(output, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
			.writeValueAsString(this.results));
		System.out.println("Written to " + output.toAbsolutePath());
		BenchCharts.consume(output);
	}

	// ---- consume ------------------------------------------------------------------------------

	private void consume() throws Exception {
		List<Map<String, Object>> cases = new ArrayList<>();
		try (ConfigurableApplicationContext publisher = application(PublisherApp.class, Map.of())) {
			NsqOperations operations = publisher.getBean(NsqOperations.class);
			for (int maxInFlight : CONSUME_MAX_IN_FLIGHT) {
				cases.add(consume(operations, maxInFlight));
			}
			for (int maxInFlight : CONSUME_MAX_IN_FLIGHT) {
				cases.add(consumeObserved(operations, maxInFlight));
			}
		}
		this.results.put("consume", cases);
	}

	/**
	 * The listener with observations on next to raw nsq-j, in interleaved rounds of their own after all the
	 * rounds without observations (whose JIT profile they would otherwise change).
	 */
	private Map<String, Object> consumeObserved(NsqOperations operations, int maxInFlight) throws Exception {
		String prefix = "consume-observed-" + maxInFlight + "-";
		consumeRaw(prefill(operations, prefix + "raw-warmup"), maxInFlight);
		consumeWithListener(prefill(operations, prefix + "warmup"), maxInFlight, ConsumeApp.LISTENER_ID, true);
		List<Counter> raw = new ArrayList<>();
		List<Counter> observed = new ArrayList<>();
		for (int round = 0; round < OBSERVED_ROUNDS; round++) {
			raw.add(consumeRaw(prefill(operations, prefix + "raw-" + round), maxInFlight));
			observed.add(consumeWithListener(prefill(operations, prefix + round), maxInFlight, ConsumeApp.LISTENER_ID,
					true));
		}
		ConsumeResult rawResult = ConsumeResult.of(raw);
		ConsumeResult result = ConsumeResult.of(observed);
		System.out.println();
		System.out.println("consume with observations: max-in-flight " + maxInFlight + ", median of " + OBSERVED_ROUNDS
				+ " interleaved rounds after the rounds above");
		rawResult.print("raw nsq-j Subscriber (finish only)");
		result.print("@NsqListener (observation-enabled=true)");
		System.out.printf("  %-44s %12.2f %16.2f %11.2f   (goal >= 0.95 for msgs/s)%n", "ratio listener / raw",
				result.rate / rawResult.rate, result.bulkRate / rawResult.bulkRate, result.cpuMicros / rawResult.cpuMicros);
		return Map.of("messages", CONSUME_MESSAGES, "threads", CONSUME_THREADS, "maxInFlight", maxInFlight,
				"observationEnabled", true, "rawNsqj", rawResult, "listener", result, "ratio", result.rate / rawResult.rate,
				"ratioWithoutTail", result.bulkRate / rawResult.bulkRate);
	}

	private Map<String, Object> consume(NsqOperations operations, int maxInFlight) throws Exception {
		consumeRaw(prefill(operations, "consume-raw-" + maxInFlight + "-warmup"), maxInFlight);
		consumeWithListener(prefill(operations, "consume-listener-" + maxInFlight + "-warmup"), maxInFlight,
				ConsumeApp.LISTENER_ID, false);
		consumeWithListener(prefill(operations, "consume-messaging-" + maxInFlight + "-warmup"), maxInFlight,
				ConsumeApp.MESSAGING_LISTENER_ID, false);
		List<Counter> raw = new ArrayList<>();
		List<Counter> listener = new ArrayList<>();
		List<Counter> messaging = new ArrayList<>();
		for (int round = 0; round < CONSUME_ROUNDS; round++) {
			raw.add(consumeRaw(prefill(operations, "consume-raw-" + maxInFlight + "-" + round), maxInFlight));
			listener.add(consumeWithListener(prefill(operations, "consume-listener-" + maxInFlight + "-" + round), maxInFlight,
					ConsumeApp.LISTENER_ID, false));
			messaging.add(consumeWithListener(prefill(operations, "consume-messaging-" + maxInFlight + "-" + round), maxInFlight,
					ConsumeApp.MESSAGING_LISTENER_ID, false));
		}
		ConsumeResult rawResult = ConsumeResult.of(raw);
		ConsumeResult listenerResult = ConsumeResult.of(listener);
		ConsumeResult messagingResult = ConsumeResult.of(messaging);
		System.out.println();
		System.out.println("consume: " + CONSUME_MESSAGES + " x 100 B, " + CONSUME_THREADS + " threads, max-in-flight " + maxInFlight
				+ ", median of " + CONSUME_ROUNDS + " interleaved rounds");
		System.out.printf("  %-44s %12s %16s %11s%n", "case", "msgs/s", "msgs/s w/o tail", "CPU us/msg");
		rawResult.print("raw nsq-j Subscriber (finish only)");
		listenerResult.print("@NsqListener (AUTO, no work, with metrics)");
		System.out.printf("  %-44s %12.2f %16.2f %11.2f   (goal >= 0.95 for msgs/s)%n", "ratio listener / raw",
				listenerResult.rate / rawResult.rate, listenerResult.bulkRate / rawResult.bulkRate,
				listenerResult.cpuMicros / rawResult.cpuMicros);
		messagingResult.print("@NsqListener with @Payload and @Header");
		System.out.printf("  %-44s %12.2f %16.2f %11.2f%n", "ratio @Payload/@Header listener / raw",
				messagingResult.rate / rawResult.rate, messagingResult.bulkRate / rawResult.bulkRate,
				messagingResult.cpuMicros / rawResult.cpuMicros);
		return Map.of("messages", CONSUME_MESSAGES, "threads", CONSUME_THREADS, "maxInFlight", maxInFlight, "rawNsqj",
				rawResult, "listener", listenerResult, "ratio", listenerResult.rate / rawResult.rate, "ratioWithoutTail",
				listenerResult.bulkRate / rawResult.bulkRate, "messagingListener", messagingResult, "messagingRatio",
				messagingResult.rate / rawResult.rate);
	}

	/** Medians of a consumer's rounds; {@code bulkRate} and {@code cpuMicros} leave out the last messages. */
	record ConsumeResult(double rate, double bulkRate, double cpuMicros, List<Long> rounds, List<Long> bulkRounds) {

		static ConsumeResult of(List<Counter> counters) {
			List<Double> rates = counters.stream().map(Counter::rate).toList();
			List<Double> bulkRates = counters.stream().map(Counter::bulkRate).toList();
			return new ConsumeResult(median(rates), median(bulkRates),
					median(counters.stream().map(Counter::cpuMicrosPerMessage).toList()), rounded(rates), rounded(bulkRates));
		}

		void print(String name) {
			System.out.printf("  %-44s %,12.0f %,16.0f %11.2f   rounds %s / %s%n", name, this.rate, this.bulkRate, this.cpuMicros,
					this.rounds, this.bulkRounds);
		}

	}

	private String prefill(NsqOperations operations, String topic) throws Exception {
		this.nsqd.createChannel(topic, "bench");
		byte[] body = new byte[100];
		List<byte[]> batch = Collections.nCopies(1000, body);
		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int sent = 0; sent < CONSUME_MESSAGES; sent += batch.size()) {
			sends.add(operations.sendBatchAsync(topic, batch));
		}
		sends.forEach(CompletableFuture::join);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.cluster.lookupd().lookup(topic).isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		return topic;
	}

	private Counter consumeRaw(String topic, int maxInFlight) throws Exception {
		Client client = new Client();
		Counter counter = new Counter(CONSUME_MESSAGES);
		Subscriber subscriber = new Subscriber(client, 1, 5, this.cluster.lookupd().httpAddress());
		settle();
		subscriber.subscribe(topic, "bench", maxInFlight, (message) -> {
			message.finish();
			counter.count();
		});
		counter.await();
		client.stop(5000);
		return counter;
	}

	private Counter consumeWithListener(String topic, int maxInFlight, String listenerId, boolean observationEnabled)
			throws Exception {
		ConsumeApp.counter = new Counter(CONSUME_MESSAGES);
		try (ConfigurableApplicationContext context = application(ConsumeApp.class, Map.of("bench.topic", topic,
				"bench.max-in-flight", maxInFlight, "nsq.consumer.observation-enabled", observationEnabled))) {
			settle();
			context.getBean(NsqListenerRegistry.class).getContainer(listenerId).orElseThrow().start();
			ConsumeApp.counter.await();
			requireTimed(context, listenerId, CONSUME_MESSAGES);
			return ConsumeApp.counter;
		}
	}

	/**
	 * Fails unless the {@code nsq.listener} timer counted every message (the plain timer, or with observations
	 * on the one Boot's observation registry makes of them).
	 */
	private static void requireTimed(ConfigurableApplicationContext context, String listenerId, int messages) throws InterruptedException {
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long observed = 0;
		while (System.nanoTime() < deadline) {
			observed = meters.find("nsq.listener").tag("listener", listenerId).timers().stream()
				.mapToLong(Timer::count)
				.sum();
			if (observed == messages) {
				return;
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("The nsq.listener timer counted " + observed + " of " + messages
				+ " messages: the benchmark must run with metrics");
	}

	/**
	 * Waits (at most 10 s) until the JIT compiler has been idle for 500 ms, after a GC: the consumer that
	 * starts next does not share the CPU with compiling what ran before it.
	 */
	static void settle() throws InterruptedException {
		System.gc();
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long compiled = compiler.getTotalCompilationTime();
		do {
			Thread.sleep(500);
			long now = compiler.getTotalCompilationTime();
			if (now == compiled) {
				return;
			}
			compiled = now;
		}
		while (System.nanoTime() < deadline);
	}

	// ---- drain --------------------------------------------------------------------------------

	private void drain() throws Exception {
		List<Map<String, Object>> rounds = new ArrayList<>();
		System.out.println();
		System.out.println("drain: " + DRAIN_LISTENERS + " listeners x concurrency 4 (max-in-flight 8), " + HANDLER_MILLIS
				+ " ms handlers, " + DRAIN_PER_TOPIC + " messages per topic, closed while all handlers run");
		System.out.printf("  %-6s %10s %22s %10s %9s %6s %9s %10s%n", "round", "close ms", "longest remaining ms", "over ms",
				"requeued", "lost", "timeouts", "in flight");
		for (int round = 0; round < ROUNDS; round++) {
			rounds.add(drainRound(round));
		}
		this.results.put("drain", rounds);
	}

	private Map<String, Object> drainRound(int round) throws Exception {
		String prefix = "drain-" + round + "-";
		for (int i = 0; i < DRAIN_LISTENERS; i++) {
			this.nsqd.createChannel(prefix + i, "bench");
			for (int m = 0; m < DRAIN_PER_TOPIC; m++) {
				this.nsqd.publish(prefix + i, "m" + m);
			}
		}
		DrainApp.reset(DRAIN_LISTENERS * 4);
		ConfigurableApplicationContext context = application(DrainApp.class, Map.of("bench.prefix", prefix));
		DrainApp.allRunning.await(30, TimeUnit.SECONDS);
		Thread.sleep(200 + (long) (Math.random() * 600));
		long closeStart = System.nanoTime();
		long longestRemaining = DrainApp.running.values().stream()
			.mapToLong((started) -> TimeUnit.MILLISECONDS.toNanos(HANDLER_MILLIS) - (closeStart - started))
			.max()
			.orElse(0);
		context.close();
		long closeNanos = System.nanoTime() - closeStart;
		NsqStats stats = this.nsqd.stats();
		long requeued = 0;
		long lost = 0;
		long timeouts = 0;
		long inFlight = 0;
		for (int i = 0; i < DRAIN_LISTENERS; i++) {
			NsqStats.ChannelStats channel = stats.channel(prefix + i, "bench");
			int handled = DrainApp.completed.getOrDefault(prefix + i, new AtomicInteger()).get();
			requeued += channel.requeueCount();
			timeouts += channel.timeoutCount();
			inFlight += channel.inFlightCount();
			lost += DRAIN_PER_TOPIC - channel.depth() - handled;
		}
		double closeMs = closeNanos / 1e6;
		double remainingMs = longestRemaining / 1e6;
		System.out.printf("  %-6d %10.0f %22.0f %10.0f %9d %6d %9d %10d%n", round, closeMs, remainingMs, closeMs - remainingMs,
				requeued, lost, timeouts, inFlight);
		return Map.of("closeMillis", closeMs, "longestRemainingHandlerMillis", remainingMs, "overheadMillis",
				closeMs - remainingMs, "requeued", requeued, "lost", lost, "timeouts", timeouts, "inFlightAfterClose", inFlight);
	}

	// ---- memory -------------------------------------------------------------------------------

	private void memory() throws Exception {
		Footprint none;
		try (ConfigurableApplicationContext context = application(PublisherApp.class, Map.of())) {
			none = Footprint.measure();
		}
		Footprint hundred;
		try (ConfigurableApplicationContext context = application(PublisherApp.class, Map.of())) {
			NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
			NsqListenerContainerFactory factory = context.getBean(NsqListenerContainerFactory.class);
			for (int i = 0; i < MEMORY_LISTENERS; i++) {
				String topic = "memory-" + i;
				registry.registerListenerContainer(factory.createContainer(registry.nextContainerId(), topic, "bench",
						(properties) -> properties.setName(topic), (message) -> {
						}));
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (registry.getContainers().stream().anyMatch((c) -> c.getConnectionCount() == 0) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			hundred = Footprint.measure();
		}
		double perListenerKb = (hundred.heapBytes - none.heapBytes) / 1024.0 / MEMORY_LISTENERS;
		System.out.println();
		System.out.println("memory: used heap after full GC and live threads, same application, started");
		System.out.printf("  %-22s %12s %8s%n", "case", "heap MiB", "threads");
		System.out.printf("  %-22s %12.1f %8d%n", "no listeners", none.heapBytes / 1048576.0, none.threads);
		System.out.printf("  %-22s %12.1f %8d%n", MEMORY_LISTENERS + " listeners", hundred.heapBytes / 1048576.0, hundred.threads);
		System.out.printf("  %-22s %12.1f %8.1f%n", "per listener (KiB)", perListenerKb,
				(hundred.threads - none.threads) / (double) MEMORY_LISTENERS);
		this.results.put("memory", Map.of("noListenersHeapBytes", none.heapBytes, "noListenersThreads", none.threads,
				"listeners", MEMORY_LISTENERS, "withListenersHeapBytes", hundred.heapBytes, "withListenersThreads",
				hundred.threads, "heapKiBPerListener", perListenerKb));
	}

	// ---- helpers ------------------------------------------------------------------------------

	private ConfigurableApplicationContext application(Class<?> source, Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.put("nsq.nsqd-addresses", this.nsqd.tcpAddress());
		all.put("nsq.lookupd-addresses", this.cluster.lookupd().httpAddress());
		all.put("nsq.consumer.lookupd-poll-interval", "1s");
		return BenchApplication.run(source, all);
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	private static List<Long> rounded(List<Double> values) {
		return values.stream().map(Math::round).toList();
	}

	/** Counts messages and measures the rate and this process's CPU time from the first to the last. */
	static final class Counter {

		private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

		private final int expected;

		private final AtomicInteger count = new AtomicInteger();

		private final AtomicLong first = new AtomicLong();

		private final CountDownLatch done = new CountDownLatch(1);

		private volatile long firstCpu;

		private volatile long bulkEnd;

		private volatile long bulkEndCpu;

		private volatile long last;

		Counter(int expected) {
			this.expected = expected;
		}

		void count() {
			int n = this.count.incrementAndGet();
			if (n == 1) {
				this.first.set(System.nanoTime());
				this.firstCpu = OS.getProcessCpuTime();
			}
			if (n == this.expected - CONSUME_TAIL) {
				this.bulkEnd = System.nanoTime();
				this.bulkEndCpu = OS.getProcessCpuTime();
			}
			if (n == this.expected) {
				this.last = System.nanoTime();
				this.done.countDown();
			}
		}

		double bulkRate() {
			return (this.expected - CONSUME_TAIL - 1) / ((this.bulkEnd - this.first.get()) / 1e9);
		}

		double cpuMicrosPerMessage() {
			return (this.bulkEndCpu - this.firstCpu) / 1e3 / (this.expected - CONSUME_TAIL - 1);
		}

		void await() throws InterruptedException {
			if (!this.done.await(120, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Only " + this.count.get() + " of " + this.expected + " messages arrived");
			}
		}

		double rate() {
			return (this.expected - 1) / ((this.last - this.first.get()) / 1e9);
		}

	}

	record Footprint(long heapBytes, int threads) {

		static Footprint measure() throws InterruptedException {
			for (int i = 0; i < 3; i++) {
				System.gc();
				Thread.sleep(200);
			}
			return new Footprint(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
					ManagementFactory.getThreadMXBean().getThreadCount());
		}

	}

	/** The sample's auto-configuration (template, registry, metrics) without any listener. */
	@EnableAutoConfiguration
	static class PublisherApp {

	}

	@EnableAutoConfiguration
	static class ConsumeApp {

		static final String LISTENER_ID = "consume";

		static final String MESSAGING_LISTENER_ID = "consume-messaging";

		static volatile Counter counter;

		@NsqListener(id = LISTENER_ID, topic = "${bench.topic}", channel = "bench", concurrency = "" + CONSUME_THREADS,
				maxInFlight = "${bench.max-in-flight}", autoStartup = "false")
		void onMessage(byte[] body) {
			counter.count();
		}

		/** The same through spring-messaging's argument resolution; started instead of the one above. */
		@NsqListener(id = MESSAGING_LISTENER_ID, topic = "${bench.topic}", channel = "bench",
				concurrency = "" + CONSUME_THREADS, maxInFlight = "${bench.max-in-flight}", autoStartup = "false")
		void onMessaging(@Payload byte[] body, @Header(NsqHeaders.ATTEMPTS) int attempts) {
			counter.count();
		}

	}

	@EnableAutoConfiguration
	static class DrainApp {

		static final Map<Long, Long> running = new ConcurrentHashMap<>();

		static final Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();

		static volatile CountDownLatch allRunning;

		static void reset(int handlers) {
			running.clear();
			completed.clear();
			allRunning = new CountDownLatch(handlers);
		}

		private void handle(String topic) throws InterruptedException {
			long id = Thread.currentThread().getId();
			running.put(id, System.nanoTime());
			allRunning.countDown();
			Thread.sleep(HANDLER_MILLIS);
			running.remove(id);
			completed.computeIfAbsent(topic, (t) -> new AtomicInteger()).incrementAndGet();
		}

		@NsqListener(topic = "${bench.prefix}0", channel = "bench", concurrency = "4", maxInFlight = "8")
		void l0(NsqMessage message) throws InterruptedException {
			handle(message.topic());
		}

		@NsqListener(topic = "${bench.prefix}1", channel = "bench", concurrency = "4", maxInFlight = "8")
		void l1(NsqMessage message) throws InterruptedException {
			handle(message.topic());
		}

		@NsqListener(topic = "${bench.prefix}2", channel = "bench", concurrency = "4", maxInFlight = "8")
		void l2(NsqMessage message) throws InterruptedException {
			handle(message.topic());
		}

		@NsqListener(topic = "${bench.prefix}3", channel = "bench", concurrency = "4", maxInFlight = "8")
		void l3(NsqMessage message) throws InterruptedException {
			handle(message.topic());
		}

		@NsqListener(topic = "${bench.prefix}4", channel = "bench", concurrency = "4", maxInFlight = "8")
		void l4(NsqMessage message) throws InterruptedException {
			handle(message.topic());
		}

		@NsqListener(topic = "${bench.prefix}5", channel = "bench", concurrency = "4", maxInFlight = "8")
		void l5(NsqMessage message) throws InterruptedException {
			handle(message.topic());
		}

		@NsqListener(topic = "${bench.prefix}6", channel = "bench", concurrency = "4", maxInFlight = "8")
		void l6(NsqMessage message) throws InterruptedException {
			handle(message.topic());
		}

		@NsqListener(topic = "${bench.prefix}7", channel = "bench", concurrency = "4", maxInFlight = "8")
		void l7(NsqMessage message) throws InterruptedException {
			handle(message.topic());
		}

	}

}
