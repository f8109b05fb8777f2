package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats.ChannelStats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nsqlookupd down for 15 s (three poll intervals of 5 s; the default interval is 15 s, shortened so the
 * outage spans several polls in a short test): consumption from the nsqd already known goes on, and an
 * nsqd started during the outage is consumed from within one poll interval after it registered with
 * the returning nsqlookupd.
 */
@Tag("fault")
class LookupdDownFaultTests {

	private static final String TOPIC = "lookupd-down";

	private static final String CHANNEL = "outage";

	private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(3);

	@Test
	void consumptionGoesOnAndAnNsqdStartedMeanwhileIsFoundWhenLookupdReturns() throws Exception {
		Journal journal = new Journal();
		NsqTemplate template = Faults.template(cluster.nsqds());
		ConfigurableApplicationContext app = ListenerApp.overLookupd(cluster, journal, TOPIC, CHANNEL, POLL_INTERVAL);
		long handledDuringOutage;
		long registeredMillis;
		long consumedMillis;
		NsqServer joined;
		try (Load load = new Load(template, TOPIC, "outage", 300, journal)) {
			Thread.sleep(2000);
			cluster.lookupd().stop();
			int handledBefore = journal.handledCount();
			joined = cluster.addNsqd();
			joined.publish(TOPIC, "published during the outage");
			journal.acknowledged("published during the outage");
			Thread.sleep(POLL_INTERVAL.multipliedBy(3).toMillis());
			handledDuringOutage = journal.handledCount() - handledBefore;
			cluster.lookupd().start();
			long back = System.nanoTime();
			await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50))
				.until(() -> cluster.lookupd().lookup(TOPIC).contains(joined.tcpAddress()));
			registeredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
			await().atMost(POLL_INTERVAL.plusSeconds(10)).pollInterval(Duration.ofMillis(10))
				.until(() -> journal.wasHandled("published during the outage"));
			consumedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
		}
		Faults.awaitHandledThenClose(List.of(journal), template, app);
		System.out.printf("nsqlookupd down %d s: %d messages handled meanwhile; %s; the nsqd started meanwhile registered"
				+ " %d ms and was consumed from %d ms after nsqlookupd came back (poll interval %d s)%n",
				POLL_INTERVAL.multipliedBy(3).toSeconds(), handledDuringOutage, journal, registeredMillis, consumedMillis,
				POLL_INTERVAL.toSeconds());
		// 300 msgs/s for 15 s, from the nsqd the listener knew
		assertThat(handledDuringOutage).as("handled while nsqlookupd was down").isGreaterThan(3000);
		assertThat(consumedMillis - registeredMillis).as("consumed after it registered (ms)")
			.isLessThanOrEqualTo(POLL_INTERVAL.plusSeconds(1).toMillis());
		assertThat(journal.lost()).as("lost").isEmpty();
		assertThat(journal.duplicates()).as("handled twice").isZero();
		assertThat(Faults.sum(cluster.nsqds(), TOPIC, CHANNEL, ChannelStats::timeoutCount)).as("timeout_count").isZero();
	}

}
