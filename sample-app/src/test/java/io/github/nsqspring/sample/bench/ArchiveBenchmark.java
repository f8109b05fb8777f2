package io.github.nsqspring.sample.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import io.github.nsqspring.test.PostgresServer;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Archive throughput on a real PostgreSQL server next to the plain consume rate of the same run: one nsqd
 * and one PostgreSQL (fresh, default settings, so fsync on), a backlog of N messages of 100 bytes on two
 * channels of one topic, then each channel drained by its own application, one after the other: an
 * {@code @NsqListener} that does nothing (RDY 1000, one handler thread) and the archive (batches of 500,
 * RDY 1000, one handler thread). A rate is N divided by the time from the first message leaving the
 * channel to the last one finished, as nsqd's {@code /stats} reports it. Run it with
 * {@code ./mvnw -B -pl sample-app -am -Pbench -DskipTests test} ({@code -Dbench.messages=N} to change N).
 */
public final class ArchiveBenchmark {

	private static final String TOPIC = "bench";

	private static final int BODY_BYTES = 100;

	private static final int PUBLISH_BATCH = 1000;

	private ArchiveBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int messages = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		try (NsqServer nsqd = NsqServer.create().start(); PostgresServer postgres = PostgresServer.create().start()) {
			nsqd.createChannel(TOPIC, "plain");
			nsqd.createChannel(TOPIC, "archive");
			publish(nsqd, messages);
			String[] common = { "--nsq.nsqd-addresses=" + nsqd.tcpAddress(), "--logging.level.root=WARN",
					"--spring.main.banner-mode=off" };
			double consume = drain(nsqd, "plain", messages, common);
			double archive = drain(nsqd, "archive", messages, concat(common, "--nsq.archive.topics=" + TOPIC,
					"--nsq.archive.initialize-schema=always", "--spring.datasource.url=" + postgres.jdbcUrl(),
					"--spring.datasource.username=" + PostgresServer.USER, "--spring.datasource.password="));
			System.out.printf(Locale.ROOT, "%nmessages: %d x %d bytes%n", messages, BODY_BYTES);
			System.out.printf(Locale.ROOT, "plain consume (@NsqListener doing nothing): %,.0f msgs/s%n", consume);
			System.out.printf(Locale.ROOT, "archive into PostgreSQL:                   %,.0f msgs/s (%.0f%% of plain consume)%n",
					archive, 100 * archive / consume);
		}
	}

	private static void publish(NsqServer nsqd, int messages) {
		String padding = "x".repeat(BODY_BYTES - 12);
		List<String> batch = new ArrayList<>(PUBLISH_BATCH);
		for (int i = 0; i < messages; i++) {
			batch.add(String.format(Locale.ROOT, "%011d-%s", i, padding));
			if (batch.size() == PUBLISH_BATCH || i == messages - 1) {
				nsqd.publishBatch(TOPIC, batch);
				batch.clear();
			}
		}
	}

	/** Starts an application that drains the channel and returns its rate in messages per second. */
	private static double drain(NsqServer nsqd, String channel, int messages, String[] args) throws InterruptedException {
		Class<?> application = "plain".equals(channel) ? PlainConsumer.class : Archiver.class;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.run(args)) {
			long first = 0;
			long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
			while (System.nanoTime() < deadline) {
				NsqStats.ChannelStats stats = nsqd.stats().channel(TOPIC, channel);
				long now = System.nanoTime();
				if (first == 0 && stats.depth() < messages) {
					first = now;
				}
				if (stats.depth() == 0 && stats.inFlightCount() == 0 && stats.deferredCount() == 0) {
					return messages / ((now - first) / 1e9);
				}
				Thread.sleep(5);
			}
			throw new IllegalStateException("Channel " + channel + " did not drain within 10 minutes");
		}
	}

	private static String[] concat(String[] first, String... more) {
		List<String> all = new ArrayList<>(List.of(first));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	/** An application whose only listener does nothing. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PlainConsumer {

		@NsqListener(topic = TOPIC, channel = "plain", maxInFlight = "1000")
		void onMessage(byte[] body) {
		}

	}

	/** An application that only archives ({@code nsq.archive.topics}). */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Archiver {

	}

}
