package io.github.nsqspring.sample.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Soak: 8 listeners and the template at about 5,000 msgs/s over nsqlookupd and 3 nsqd for
 * {@code soak.minutes} (default 10), 1 % of handler calls throwing (their messages are requeued and
 * handled again), one nsqd restarted (SIGTERM, start on the same port) every {@code soak.restart-seconds}
 * (default 120). Prints every minute: handled msgs/s, heap after GC, live threads, open sockets and the
 * p99 latency from nsqd's timestamp to the handler; at the end the acknowledged publishes never handled
 * (lost, must be 0) and the messages handled successfully more than once (duplicates).
 *
 * <pre>./mvnw -B -Psoak -pl sample-app -am verify -DskipTests [-Dsoak.minutes=2]</pre>
 */
public final class SoakBenchmark {

	private static final int LISTENERS = 8;

	private static final int RATE = 5000;

	private static final int MAX_LATENCY_MILLIS = 60_000;

	public static void main(String[] args) throws Exception {
		int minutes = Integer.getInteger("soak.minutes", 10);
		int restartSeconds = Integer.getInteger("soak.restart-seconds", 120);
		Path report = Path.of((args.length > 0) ? args[0] : "target/bench/soak.txt");
		Journal journal = new Journal(RATE * 60 * (minutes + 1));
		List<String> lines = new ArrayList<>();
		long lost;
		try (NsqCluster cluster = NsqCluster.of(3).start()) {
			for (int i = 0; i < LISTENERS; i++) {
				for (NsqServer nsqd : cluster.nsqds()) {
					nsqd.createChannel(SoakApp.TOPIC_PREFIX + i, "soak");
				}
			}
			SoakApp.journal = journal;
			ConfigurableApplicationContext app = application(cluster);
			NsqTemplate template = app.getBean(NsqTemplate.class);
			NsqListenerRegistry registry = app.getBean(NsqListenerRegistry.class);
			Publisher publisher = new Publisher(template, journal);
			Thread publishing = new Thread(publisher, "soak-publisher");
			publishing.start();
			lines.add(String.format("soak: %d listeners, %d msgs/s, %d minutes, one nsqd restarted every %d s, 1 %% of"
					+ " handler calls throwing", LISTENERS, RATE, minutes, restartSeconds));
			lines.add(String.format("%6s %10s %10s %8s %8s %12s %10s %8s", "minute", "msgs/s", "heap MiB", "threads",
					"sockets", "connections", "p99 ms", "failed"));
			lines.forEach(System.out::println);
			long start = System.nanoTime();
			long handledBefore = 0;
			long failedBefore = 0;
			int nextRestart = 0;
			for (int minute = 1; minute <= minutes; minute++) {
				long minuteEnd = start + TimeUnit.MINUTES.toNanos(minute);
				while (System.nanoTime() < minuteEnd) {
					long dueRestart = start + TimeUnit.SECONDS.toNanos((long) restartSeconds * (nextRestart + 1));
					if (dueRestart < minuteEnd && System.nanoTime() >= dueRestart) {
						NsqServer nsqd = cluster.nsqd(nextRestart++ % 3);
						nsqd.stop();
						nsqd.start();
						System.out.println("  restarted " + nsqd);
					}
					Thread.sleep(100);
				}
				long handled = journal.handledCalls.get();
				long p99 = journal.p99AndReset();
				System.gc();
				String line = String.format("%6d %10d %10.1f %8d %8d %12d %10d %8d", minute, (handled - handledBefore) / 60,
						ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0,
						ManagementFactory.getThreadMXBean().getThreadCount(), openSockets(),
						registry.getContainers().stream().mapToInt((container) -> container.getConnectionCount()).sum(), p99,
						publisher.failed.get() - failedBefore);
				System.out.println(line);
				lines.add(line);
				handledBefore = handled;
				failedBefore = publisher.failed.get();
			}
			publisher.running = false;
			publishing.join();
			long drainStart = System.nanoTime();
			while (journal.lost(publisher.sent.get()) > 0 && System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(60)) {
				Thread.sleep(200);
			}
			app.close();
			lost = journal.lost(publisher.sent.get());
			lines.add(String.format("published %d, acknowledged %d, failed %d (not acknowledged); lost %d; duplicates %d;"
					+ " handler calls that threw %d", publisher.sent.get(), journal.acknowledgedCount(publisher.sent.get()),
					publisher.failed.get(), lost, journal.duplicates(publisher.sent.get()),
					journal.thrown.get()));
			System.out.println(lines.get(lines.size() - 1));
		}
		Files.createDirectories(report.toAbsolutePath().getParent());
		Files.write(report, lines);
		if (lost > 0) {
			System.err.println("soak: " + lost + " acknowledged publishes were never handled");
			System.exit(1);
		}
	}

	private static ConfigurableApplicationContext application(NsqCluster cluster) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("nsq.nsqd-addresses", cluster.nsqdTcpAddresses());
		properties.put("nsq.lookupd-addresses", cluster.lookupd().httpAddress());
		properties.put("nsq.consumer.lookupd-poll-interval", "5s");
		properties.put("nsq.consumer.backoff.initial", "200ms");
		properties.put("spring.application.name", "soak");
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.com.sproutsocial.nsq", "OFF");
		properties.put("logging.level.io.github.nsqspring.listener", "ERROR");
		properties.put("spring.main.banner-mode", "off");
		// as arguments, so that they win over the sample's application.properties
		String[] arguments = properties.entrySet().stream().map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		return new SpringApplicationBuilder(SoakApp.class).web(WebApplicationType.NONE).run(arguments);
	}

	/** Sockets this process has open (every TCP connection, to nsqd, nsqlookupd and its HTTP checks). */
	private static long openSockets() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.filter((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString().startsWith("socket:");
				}
				catch (IOException ex) {
					return false;
				}
			}).count();
		}
	}

	/** Publishes sequence numbers at {@link #RATE} round robin over the topics. */
	static final class Publisher implements Runnable {

		private final NsqTemplate template;

		private final Journal journal;

		final AtomicLong sent = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		volatile boolean running = true;

		Publisher(NsqTemplate template, Journal journal) {
			this.template = template;
			this.journal = journal;
		}

		@Override
		public void run() {
			long start = System.nanoTime();
			for (int n = 0; this.running && n < this.journal.capacity(); n++) {
				long wait = start + n * TimeUnit.SECONDS.toNanos(1) / RATE - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				int id = n;
				this.sent.incrementAndGet();
				this.template.sendAsync(SoakApp.TOPIC_PREFIX + (n % LISTENERS), Integer.toString(n))
					.whenComplete((ignored, failure) -> {
						if (failure == null) {
							this.journal.acknowledged(id);
						}
						else {
							this.failed.incrementAndGet();
						}
					});
			}
		}

	}

	/** Fixed-size record of acknowledged and handled sequence numbers, so that it does not grow the heap. */
	static final class Journal {

		private final AtomicIntegerArray acknowledged;

		private final AtomicIntegerArray handled;

		private final AtomicLongArray latencies = new AtomicLongArray(MAX_LATENCY_MILLIS + 1);

		final AtomicLong handledCalls = new AtomicLong();

		final AtomicLong thrown = new AtomicLong();

		Journal(int capacity) {
			this.acknowledged = new AtomicIntegerArray(capacity);
			this.handled = new AtomicIntegerArray(capacity);
		}

		int capacity() {
			return this.acknowledged.length();
		}

		void acknowledged(int id) {
			this.acknowledged.set(id, 1);
		}

		void handled(int id, Instant timestamp) {
			this.handled.incrementAndGet(id);
			this.handledCalls.incrementAndGet();
			long millis = Math.max(0, Duration.between(timestamp, Instant.now()).toMillis());
			this.latencies.incrementAndGet((int) Math.min(millis, MAX_LATENCY_MILLIS));
		}

		long p99AndReset() {
			long[] counts = new long[this.latencies.length()];
			long total = 0;
			for (int i = 0; i < counts.length; i++) {
				counts[i] = this.latencies.getAndSet(i, 0);
				total += counts[i];
			}
			long seen = 0;
			for (int i = 0; i < counts.length; i++) {
				seen += counts[i];
				if (seen >= total * 0.99) {
					return i;
				}
			}
			return 0;
		}

		long acknowledgedCount(long sent) {
			long count = 0;
			for (int i = 0; i < sent; i++) {
				count += this.acknowledged.get(i);
			}
			return count;
		}

		long lost(long sent) {
			long lost = 0;
			for (int i = 0; i < sent; i++) {
				if (this.acknowledged.get(i) == 1 && this.handled.get(i) == 0) {
					lost++;
				}
			}
			return lost;
		}

		long duplicates(long sent) {
			long duplicates = 0;
			for (int i = 0; i < sent; i++) {
				duplicates += Math.max(0, this.handled.get(i) - 1);
			}
			return duplicates;
		}

	}

	/**
	 * 8 listener containers, one per topic, made like {@code @NsqListener} ones (by the application's
	 * container factory, in its registry); 1 % of the first deliveries throw.
	 */
	@EnableAutoConfiguration
	static class SoakApp {

		static final String TOPIC_PREFIX = "soak-";

		static volatile Journal journal;

		@Bean
		SoakListeners soakListeners(NsqListenerContainerFactory factory, NsqListenerRegistry registry) {
			for (int i = 0; i < LISTENERS; i++) {
				int listener = i;
				registry.registerListenerContainer(factory.createContainer(registry.nextContainerId(), TOPIC_PREFIX + i,
						"soak", (properties) -> {
							properties.setName("soak-" + listener);
							properties.setConcurrency(2);
							properties.setMaxInFlight(32);
						}, SoakApp::handle));
			}
			return new SoakListeners();
		}

		private static void handle(NsqMessage message) {
			int id = Integer.parseInt(new String(message.body(), StandardCharsets.UTF_8));
			if (message.attempts() == 1 && id % 100 == 7) {
				journal.thrown.incrementAndGet();
				throw new IllegalStateException("soak: 1 % of handler calls fail");
			}
			journal.handled(id, message.timestamp());
		}

	}

	/** Marks the registered soak containers as a bean. */
	static final class SoakListeners {

	}

}
