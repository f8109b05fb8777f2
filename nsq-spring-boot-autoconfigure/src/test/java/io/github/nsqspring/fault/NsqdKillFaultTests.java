package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nsqd killed with SIGKILL under publish and consume, then restarted on the same port
 * ({@code --mem-queue-size=0}, so what it acknowledged is on disk): every acknowledged publish is
 * consumed, and the listeners, over nsqlookupd and directly connected, resume without a restart.
 */
@Tag("fault")
class NsqdKillFaultTests {

	private static final String TOPIC = "kill";

	/** Shorter than the 15 s default, to keep the test short; a resume takes up to one interval. */
	private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(3, "--mem-queue-size=0");

	@Test
	void killedNsqdLosesNoAcknowledgedPublishAndListenersResume() throws Exception {
		Faults.createChannel(cluster.nsqds(), TOPIC, "direct");
		Journal viaLookupd = new Journal();
		Journal direct = new Journal();
		NsqTemplate template = Faults.template(cluster.nsqds());
		ConfigurableApplicationContext lookupdApp = ListenerApp.overLookupd(cluster, viaLookupd, TOPIC, "via-lookupd",
				POLL_INTERVAL);
		ConfigurableApplicationContext directApp = ListenerApp.start(direct, TOPIC, "direct",
				Map.of("nsq.nsqd-addresses", cluster.nsqdTcpAddresses(), "nsq.consumer.lookupd-poll-interval",
						POLL_INTERVAL.toMillis() + "ms"));
		NsqServer victim = cluster.nsqd(0);
		long[] resumeMillis = new long[2];
		long failed;
		try (Load load = new Load(template, TOPIC, "kill", 500, viaLookupd, direct)) {
			Thread.sleep(3000);
			victim.kill();
			Thread.sleep(3000);
			victim.start();
			long restarted = System.nanoTime();
			victim.publish(TOPIC, "marker");
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
				resumeMillis[0] = (resumeMillis[0] == 0 && viaLookupd.wasHandled("marker")) ? elapsedMillis(restarted)
						: resumeMillis[0];
				resumeMillis[1] = (resumeMillis[1] == 0 && direct.wasHandled("marker")) ? elapsedMillis(restarted)
						: resumeMillis[1];
				return resumeMillis[0] > 0 && resumeMillis[1] > 0;
			});
			Thread.sleep(2000);
			failed = load.failed();
		}
		Faults.awaitHandledThenClose(List.of(viaLookupd, direct), template, lookupdApp, directApp);
		System.out.printf("nsqd kill -9: %d publishes failed; via lookupd: %s, resumed %d ms after the restart;"
				+ " direct: %s, resumed %d ms after the restart (poll interval %d s)%n", failed, viaLookupd,
				resumeMillis[0], direct, resumeMillis[1], POLL_INTERVAL.toSeconds());
		assertThat(viaLookupd.lost()).as("lost via lookupd").isEmpty();
		assertThat(direct.lost()).as("lost direct").isEmpty();
		assertThat(viaLookupd.acknowledgedCount()).isGreaterThan(3000);
	}

	private static long elapsedMillis(long since) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
	}

}
