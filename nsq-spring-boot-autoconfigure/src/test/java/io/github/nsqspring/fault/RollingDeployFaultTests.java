package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqStats.ChannelStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling deploy under load: two instances on one channel over nsqlookupd and 3 nsqd, ~1,000 msgs/s;
 * the first is closed, a replacement started, then the second closed. Nothing acknowledged is lost,
 * nothing is handled twice, and nsqd timed out nothing.
 */
@Tag("fault")
class RollingDeployFaultTests {

	private static final String TOPIC = "rolling";

	private static final String CHANNEL = "deploy";

	private static final Duration POLL_INTERVAL = Duration.ofSeconds(15);

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(3);

	@Test
	void rollingDeployLosesAndDuplicatesNothing() throws Exception {
		Journal journal = new Journal();
		NsqTemplate template = Faults.template(cluster.nsqds());
		ConfigurableApplicationContext first = ListenerApp.overLookupd(cluster, journal, TOPIC, CHANNEL, POLL_INTERVAL);
		ConfigurableApplicationContext second = ListenerApp.overLookupd(cluster, journal, TOPIC, CHANNEL, POLL_INTERVAL);
		ConfigurableApplicationContext replacement;
		long[] closeMillis = new long[2];
		List<Long> handOffMillis;
		try (Load load = new Load(template, TOPIC, "deploy", 1000, journal)) {
			Thread.sleep(3000);
			long firstClose = System.nanoTime();
			first.close();
			closeMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstClose);
			replacement = ListenerApp.overLookupd(cluster, journal, TOPIC, CHANNEL, POLL_INTERVAL);
			Thread.sleep(3000);
			handOffMillis = handOffs(journal, firstClose);
			long secondClose = System.nanoTime();
			second.close();
			closeMillis[1] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - secondClose);
			Thread.sleep(3000);
			handOffMillis = Stream.concat(handOffMillis.stream(), handOffs(journal, secondClose).stream()).toList();
			assertThat(load.failed()).as("failed publishes (no nsqd was touched)").isZero();
		}
		Faults.awaitHandledThenClose(List.of(journal), template, replacement);
		System.out.printf("rolling deploy: %s; closes took %d and %d ms; hand-off (close began -> redelivered message"
				+ " handled by another instance) max %d ms over %d messages%n", journal, closeMillis[0], closeMillis[1],
				handOffMillis.stream().mapToLong(Long::longValue).max().orElse(0), handOffMillis.size());
		assertThat(journal.acknowledgedCount()).as("acknowledged publishes").isGreaterThan(8000);
		assertThat(journal.lost()).as("lost").isEmpty();
		assertThat(journal.duplicates()).as("handled twice").isZero();
		assertThat(Faults.sum(cluster.nsqds(), TOPIC, CHANNEL, ChannelStats::timeoutCount)).as("timeout_count").isZero();
		assertThat(Faults.sum(cluster.nsqds(), TOPIC, CHANNEL, ChannelStats::depth)).as("depth").isZero();
	}

	/** Milliseconds from the close to each redelivery handled since (messages the closing instance gave back). */
	private static List<Long> handOffs(Journal journal, long closeNanos) {
		return journal.redeliveryTimes().stream().filter((time) -> time >= closeNanos)
			.map((time) -> TimeUnit.NANOSECONDS.toMillis(time - closeNanos)).toList();
	}

}
