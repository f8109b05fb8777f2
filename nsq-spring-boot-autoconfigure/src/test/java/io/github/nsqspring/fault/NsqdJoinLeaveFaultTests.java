package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats.ChannelStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nsqd joining and leaving under load: a fourth nsqd with messages is consumed from within one poll
 * interval; one that leaves (tombstoned at nsqlookupd, drained, stopped) causes no error loop and loses
 * no acknowledged publish.
 */
@Tag("fault")
@ExtendWith(OutputCaptureExtension.class)
class NsqdJoinLeaveFaultTests {

	private static final String TOPIC = "join-leave";

	private static final String CHANNEL = "membership";

	private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(3);

	@Test
	void joiningNsqdIsConsumedAndLeavingOneLosesNothing(CapturedOutput output) throws Exception {
		NsqServer leaving = cluster.nsqd(2);
		Journal journal = new Journal();
		// the load goes to the nsqd that stay (the first two: primary and failover)
		NsqTemplate template = Faults.template(List.of(cluster.nsqd(0), cluster.nsqd(1)));
		ConfigurableApplicationContext app = ListenerApp.overLookupd(cluster, journal, TOPIC, CHANNEL, POLL_INTERVAL);
		long joinMillis;
		int linesAfterLeaving;
		try (Load load = new Load(template, TOPIC, "member", 300, journal)) {
			publish(leaving, "leaving", journal);
			NsqServer joined = cluster.addNsqd();
			long joinedAt = System.nanoTime();
			publish(joined, "joined", journal);
			await().atMost(POLL_INTERVAL.plusSeconds(10)).pollInterval(Duration.ofMillis(10)).until(journal::allHandled);
			joinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinedAt);

			cluster.lookupd().tombstone(TOPIC, leaving);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				ChannelStats channel = leaving.stats().channel(TOPIC, CHANNEL);
				return channel.depth() == 0 && channel.inFlightCount() == 0;
			});
			int outputBefore = output.length();
			leaving.stop();
			Thread.sleep(POLL_INTERVAL.multipliedBy(2).toMillis());
			String after = output.toString().substring(outputBefore);
			// nsq-j names the host of a connection, not its port: count every warning and error
			linesAfterLeaving = (int) after.lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR "))
				.count();
		}
		Faults.awaitHandledThenClose(List.of(journal), template, app);
		System.out.printf("nsqd joins and leaves: the joined nsqd's messages were consumed %d ms after it started"
				+ " (poll interval %d s); %d warnings or errors logged in the %d s after it stopped; %s%n", joinMillis,
				POLL_INTERVAL.toSeconds(), linesAfterLeaving, POLL_INTERVAL.multipliedBy(2).toSeconds(), journal);
		assertThat(joinMillis).as("joined nsqd consumed after (ms)").isLessThanOrEqualTo(POLL_INTERVAL.plusSeconds(2).toMillis());
		assertThat(linesAfterLeaving).as("warnings and errors after the nsqd left (no error loop)").isLessThanOrEqualTo(3);
		assertThat(journal.lost()).as("lost").isEmpty();
		assertThat(journal.duplicates()).as("handled twice").isZero();
		assertThat(Faults.sum(cluster.nsqds(), TOPIC, CHANNEL, ChannelStats::timeoutCount)).as("timeout_count").isZero();
	}

	/** 100 messages over HTTP, each recorded as acknowledged once nsqd answered. */
	private static void publish(NsqServer nsqd, String prefix, Journal journal) {
		IntStream.range(0, 100).mapToObj((i) -> prefix + "-" + i).forEach((body) -> {
			nsqd.publish(TOPIC, body);
			journal.acknowledged(body);
		});
	}

}
