package io.github.nsqspring.sample.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.sample.Order;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.PostgresServer;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Batch listeners next to single-message listeners, in the same run, against a real nsqd (and a real
 * PostgreSQL) that this program starts. Not a test: run with
 * {@code ./mvnw -B -Pbench -pl sample-app -am verify -DskipTests} (execution {@code batch-benchmark}).
 * <ol>
 * <li>consume: {@value #CONSUME_MESSAGES} pre-published 100-byte messages through an {@code @NsqListener}
 * that does nothing, concurrency 2 and max-in-flight 200, next to a batch listener (max-size 100,
 * concurrency 2, max-in-flight 200 by default); rounds interleaved, the rate from first to last message;</li>
 * <li>JDBC: {@value #JDBC_MESSAGES} orders inserted into PostgreSQL by a listener that inserts one row
 * per message (concurrency 2, max-in-flight 200), next to the sample's batch listener path (one JDBC batch
 * statement per batch of up to 100, concurrency 2).</li>
 * </ol>
 */
public final class BatchBenchmark {

	static final int CONSUME_MESSAGES = 1_000_000;

	static final int JDBC_MESSAGES = 50_000;

	static final int ROUNDS = 3;

	static final AtomicLong handled = new AtomicLong();

	static volatile long firstNanos;

	static volatile long lastNanos;

	private final NsqServer nsqd;

	private BatchBenchmark(NsqServer nsqd) {
		this.nsqd = nsqd;
	}

	public static void main(String[] args) throws Exception {
		try (NsqServer nsqd = NsqServer.withArguments("--mem-queue-size=2000000").start();
				PostgresServer postgres = PostgresServer.create().start()) {
			new BatchBenchmark(nsqd).run(postgres);
		}
	}

	private void run(PostgresServer postgres) throws Exception {
		Map<String, List<Double>> rates = new LinkedHashMap<>();
		try (ConfigurableApplicationContext publisher = application(PublisherApp.class, Map.of())) {
			NsqOperations operations = publisher.getBean(NsqOperations.class);
			for (int round = 0; round <= ROUNDS; round++) {
				for (String listener : List.of("single", "batch")) {
					String topic = "consume-" + listener + "-" + round;
					prefill(operations, topic, CONSUME_MESSAGES, new byte[100]);
					double rate = consume(ConsumeApp.class, topic, listener, CONSUME_MESSAGES, Map.of());
					System.out.printf("consume round %d %-6s %,.0f msgs/s%n", round, listener, rate);
					if (round > 0) {
						rates.computeIfAbsent("consume " + listener, (key) -> new ArrayList<>()).add(rate);
					}
				}
			}
			Map<String, Object> jdbc = Map.of("spring.datasource.url", postgres.jdbcUrl(), "spring.datasource.username",
					PostgresServer.USER, "spring.datasource.password", "");
			for (int round = 0; round <= 1; round++) {
				for (String listener : List.of("rows", "batch")) {
					String topic = "jdbc-" + listener + "-" + round;
					byte[] order = "{\"id\":\"o-0000000\",\"customer\":\"alice\",\"amount\":42}".getBytes();
					prefill(operations, topic, JDBC_MESSAGES, order);
					double rate = consume(JdbcApp.class, topic, listener, JDBC_MESSAGES, jdbc);
					System.out.printf("jdbc round %d %-6s %,.0f msgs/s%n", round, listener, rate);
					if (round > 0) {
						rates.computeIfAbsent("jdbc " + listener, (key) -> new ArrayList<>()).add(rate);
					}
				}
			}
		}
		double single = median(rates.get("consume single"));
		double batch = median(rates.get("consume batch"));
		double rows = median(rates.get("jdbc rows"));
		double batchRows = median(rates.get("jdbc batch"));
		System.out.printf("%nconsume %,d messages (median of %d rounds): single-message listener %,.0f msgs/s, batch listener "
				+ "(max-size 100) %,.0f msgs/s: %.2fx%n", CONSUME_MESSAGES, ROUNDS, single, batch, batch / single);
		System.out.printf("jdbc %,d orders into PostgreSQL: row-at-a-time listener %,.0f rows/s, batch insert listener %,.0f "
				+ "rows/s: %.2fx%n", JDBC_MESSAGES, rows, batchRows, batchRows / rows);
	}

	private void prefill(NsqOperations operations, String topic, int messages, byte[] body) {
		this.nsqd.createChannel(topic, "bench");
		List<byte[]> batch = Collections.nCopies(1000, body);
		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int sent = 0; sent < messages; sent += batch.size()) {
			sends.add(operations.sendBatchAsync(topic, batch));
		}
		sends.forEach(CompletableFuture::join);
	}

	private double consume(Class<?> app, String topic, String listener, int messages, Map<String, Object> extra)
			throws Exception {
		handled.set(0);
		firstNanos = 0;
		Map<String, Object> properties = new LinkedHashMap<>(extra);
		properties.put("bench.topic", topic);
		try (ConfigurableApplicationContext context = application(app, properties)) {
			Thread.sleep(500);
			context.getBean(NsqListenerRegistry.class).getContainer(listener).orElseThrow().start();
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
			while (handled.get() < messages && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			if (handled.get() < messages) {
				throw new IllegalStateException(listener + " handled " + handled.get() + " of " + messages);
			}
			return messages / ((lastNanos - firstNanos) / 1e9);
		}
	}

	static void count(int messages) {
		long now = System.nanoTime();
		if (firstNanos == 0) {
			firstNanos = now;
		}
		lastNanos = now;
		handled.addAndGet(messages);
	}

	private ConfigurableApplicationContext application(Class<?> source, Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.put("nsq.nsqd-addresses", this.nsqd.tcpAddress());
		return BenchApplication.run(source, all);
	}

	static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	@EnableAutoConfiguration
	static class PublisherApp {

	}

	@EnableAutoConfiguration
	static class ConsumeApp {

		@NsqListener(id = "single", topic = "${bench.topic}", channel = "bench", concurrency = "2", maxInFlight = "200",
				autoStartup = "false")
		void single(byte[] body) {
			count(1);
		}

		@NsqListener(id = "batch", topic = "${bench.topic}", channel = "bench", concurrency = "2", batch = "true",
				autoStartup = "false")
		void batch(List<byte[]> bodies) {
			count(bodies.size());
		}

	}

	@EnableAutoConfiguration
	static class JdbcApp {

		private final JdbcTemplate jdbc;

		JdbcApp(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
			jdbc.execute("drop table if exists order_ledger");
			jdbc.execute("create table order_ledger (id varchar(64) not null, customer varchar(200) not null, amount integer not null)");
		}

		@NsqListener(id = "rows", topic = "${bench.topic}", channel = "bench", concurrency = "2", maxInFlight = "200",
				autoStartup = "false")
		void rows(Order order) {
			this.jdbc.update("insert into order_ledger (id, customer, amount) values (?, ?, ?)", order.id(), order.customer(),
					order.amount());
			count(1);
		}

		@NsqListener(id = "batch", topic = "${bench.topic}", channel = "bench", concurrency = "2", batch = "true",
				autoStartup = "false")
		void batch(List<Order> orders) {
			this.jdbc.batchUpdate("insert into order_ledger (id, customer, amount) values (?, ?, ?)", orders, orders.size(),
					(statement, order) -> {
						statement.setString(1, order.id());
						statement.setString(2, order.customer());
						statement.setInt(3, order.amount());
					});
			count(orders.size());
		}

	}

}
