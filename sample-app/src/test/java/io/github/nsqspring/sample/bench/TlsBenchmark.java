package io.github.nsqspring.sample.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nsqspring.core.JacksonNsqMessageConverter;
import io.github.nsqspring.core.NsqProducerSettings;
import io.github.nsqspring.core.NsqSecurity;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.LoggingDeadLetterHandler;
import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link NsqTemplate} publishing and an {@link NsqListenerContainer} consuming over TLS (with hostname
 * verification) next to plain TCP, in one run against two real nsqd v1.3.0 this program starts: one
 * plain, one with {@code --tls-required} and certificates made for the run. Not a test: run it with
 * {@code ./mvnw -B -Pbench -pl sample-app -am verify -DskipTests}. Each case runs once per round after a
 * warm-up, plain and TLS alternating, {@link #ROUNDS} rounds; the median is reported with the ratio
 * TLS / plain (goals: {@code sendAsync} at least 0.5, consume at least 0.6), and nsqd's counts are
 * checked after each run (every message published; every message consumed and finished, none in
 * flight). Written as JSON to the path given as the first argument (default {@code target/bench/tls.json}).
 */
public final class TlsBenchmark {

	private static final int ROUNDS = 5;

	private static final int CONSUMED = 300_000;

	private static final String CHANNEL = "bench";

	/** Room for every message a consume round publishes, so that it measures the client rather than nsqd's disk queue. */
	private static final String MEM_QUEUE = "--mem-queue-size=" + (2 * CONSUMED);

	private static final JacksonNsqMessageConverter CONVERTER = new JacksonNsqMessageConverter(JsonMapper.builder().build());

	private final AtomicInteger topics = new AtomicInteger();

	public static void main(String[] args) throws Exception {
		Path output = Path.of((args.length > 0) ? args[0] : "target/bench/tls.json");
		try (NsqServer plain = NsqServer.withArguments(MEM_QUEUE);
				NsqServer tls = NsqServer.withTls(NsqServerTls.required(), MEM_QUEUE)) {
			plain.start();
			tls.start();
			new TlsBenchmark().run(plain, tls, output);
		}
	}

	private void run(NsqServer plainNsqd, NsqServer tlsNsqd, Path output) throws Exception {
		NsqTemplate plain = new NsqTemplate(NsqProducerSettings.of(List.of(plainNsqd.tcpAddress())), CONVERTER);
		NsqTls tls = new NsqTls(tlsNsqd.certificates().sslContext(null), true, null, null);
		NsqSecurity security = new NsqSecurity(tls, null);
		NsqTemplate secured = new NsqTemplate(NsqProducerSettings.of(List.of(tlsNsqd.tcpAddress())), CONVERTER, security);
		plain.start();
		secured.start();
		byte[] small = new byte[100];
		byte[] large = new byte[4 * 1024];
		List<Workload> workloads = List.of(
				new Workload("NsqTemplate.sendAsync 100 B, 1 thread", 300_000,
						(template, topic, count) -> sendAsync(template, topic, count, small)),
				new Workload("NsqTemplate.sendAsync 4 KB, 1 thread", 50_000,
						(template, topic, count) -> sendAsync(template, topic, count, large)),
				new Workload("NsqTemplate.send 100 B, 1 thread", 10_000, (template, topic, count) -> {
					for (int i = 0; i < count; i++) {
						template.send(topic, small);
					}
				}));
		Map<String, Object> results = new LinkedHashMap<>();
		try {
			for (Workload workload : workloads) {
				workload.action().run(plain, topic(), workload.messages() / 10);
				workload.action().run(secured, topic(), workload.messages() / 10);
				compare(workload.name(), () -> measure(workload, plain, plainNsqd), () -> measure(workload, secured, tlsNsqd),
						results);
			}
			System.out.println("TLS clients on nsqd: " + tlsNsqd.stats().producers());
			consume(plainNsqd, plain, NsqSecurity.NONE, CONSUMED / 10);
			consume(tlsNsqd, secured, security, CONSUMED / 10);
			compare("NsqListenerContainer consume 100 B, 6 threads, max-in-flight 200",
					() -> consume(plainNsqd, plain, NsqSecurity.NONE, CONSUMED),
					() -> consume(tlsNsqd, secured, security, CONSUMED), results);
		}
		finally {
			plain.stop();
			secured.stop();
		}
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("nsqd", "v1.3.0 plain and --tls-required=true (EC P-256 certificates), " + MEM_QUEUE
				+ ", ephemeral topics for publishing, loopback");
		document.put("processors", Runtime.getRuntime().availableProcessors());
		document.put("rounds", ROUNDS);
		document.put("results", results);
		Files.createDirectories(output.toAbsolutePath().getParent());
		JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(output.toFile(), document);
		System.out.println("Written " + output.toAbsolutePath());
	}

	/** Runs both {@link #ROUNDS} times, alternating, and reports the medians and their ratio. */
	private static void compare(String name, Rate plain, Rate tls, Map<String, Object> results) throws Exception {
		double[] plainRates = new double[ROUNDS];
		double[] tlsRates = new double[ROUNDS];
		for (int round = 0; round < ROUNDS; round++) {
			plainRates[round] = plain.measure();
			tlsRates[round] = tls.measure();
		}
		long plainMedian = median(plainRates);
		long tlsMedian = median(tlsRates);
		double ratio = Math.round(100.0 * tlsMedian / plainMedian) / 100.0;
		System.out.printf("%-40s plain %,10d msgs/s   TLS %,10d msgs/s   TLS / plain %.2f%n", name, plainMedian, tlsMedian,
				ratio);
		results.put(name, Map.of("plain", plainMedian, "tls", tlsMedian, "tlsOverPlain", ratio));
	}

	/**
	 * Publishes the messages, then consumes them with a listener container (AUTO acknowledge, no work):
	 * messages per second from the first delivery to the last.
	 */
	private double consume(NsqServer nsqd, NsqTemplate publisher, NsqSecurity security, int messages) throws Exception {
		String topic = "tls-consume-" + this.topics.incrementAndGet();
		nsqd.createChannel(topic, CHANNEL);
		sendAsync(publisher, topic, messages, new byte[100]);
		ContainerProperties properties = new ContainerProperties(topic, CHANNEL);
		properties.setNsqdAddresses(List.of(nsqd.tcpAddress()));
		properties.setConcurrency(6);
		properties.setMaxInFlight(200);
		properties.setSecurity(security);
		CountDownLatch left = new CountDownLatch(messages);
		AtomicLong first = new AtomicLong();
		NsqListenerContainer container = new NsqListenerContainer(this.topics.get(), properties, (message) -> {
			first.compareAndSet(0, System.nanoTime());
			left.countDown();
		}, new LoggingDeadLetterHandler());
		container.start();
		long end;
		try {
			if (!left.await(5, TimeUnit.MINUTES)) {
				throw new IllegalStateException(topic + ": " + left.getCount() + " of " + messages + " not consumed");
			}
			end = System.nanoTime();
		}
		finally {
			container.stop();
		}
		double rate = messages / ((end - first.get()) / 1e9);
		var channel = nsqd.stats().channel(topic, CHANNEL);
		if (channel.depth() != 0 || channel.inFlightCount() != 0 || container.getFinishedCount() != messages) {
			throw new IllegalStateException(topic + ": depth " + channel.depth() + ", in flight " + channel.inFlightCount()
					+ ", finished " + container.getFinishedCount() + " of " + messages);
		}
		nsqd.deleteTopic(topic);
		return rate;
	}

	private double measure(Workload workload, NsqTemplate template, NsqServer nsqd) throws Exception {
		String topic = topic();
		long start = System.nanoTime();
		workload.action().run(template, topic, workload.messages());
		double rate = workload.messages() / ((System.nanoTime() - start) / 1e9);
		long arrived = nsqd.stats().topic(topic).messageCount();
		if (arrived != workload.messages()) {
			throw new IllegalStateException(workload.name() + ": nsqd has " + arrived + " messages, expected "
					+ workload.messages());
		}
		nsqd.deleteTopic(topic);
		return rate;
	}

	private static long median(double[] rates) {
		double[] sorted = rates.clone();
		Arrays.sort(sorted);
		return Math.round(sorted[sorted.length / 2]);
	}

	/** Ephemeral, so that the runs measure the client and TLS rather than nsqd's disk queue. */
	private String topic() {
		return "tls-bench-" + this.topics.incrementAndGet() + "#ephemeral";
	}

	private static void sendAsync(NsqTemplate template, String topic, int count, byte[] body) {
		List<CompletableFuture<Void>> futures = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			futures.add(template.sendAsync(topic, body));
		}
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
	}

	@FunctionalInterface
	private interface Rate {

		double measure() throws Exception;

	}

	@FunctionalInterface
	private interface Action {

		void run(NsqTemplate template, String topic, int messages) throws Exception;

	}

	private record Workload(String name, int messages, Action action) {
	}

}
