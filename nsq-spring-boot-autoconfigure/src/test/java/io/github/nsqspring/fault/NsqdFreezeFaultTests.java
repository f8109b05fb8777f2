package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One of 3 nsqd frozen (SIGSTOP) for 10 s under publish and consume, then thawed: the template's
 * publishes to it fail within the timeout naming its address and go to the others; consumption goes on
 * from the others and resumes from it after the thaw; nothing acknowledged is lost and no thread or
 * connection is left behind.
 */
@Tag("fault")
class NsqdFreezeFaultTests {

	private static final String TOPIC = "freeze";

	private static final String CHANNEL = "frozen";

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(3);

	@Test
	void frozenNsqdFailsPublishesWithinTheTimeoutAndEverythingRecovers() throws Exception {
		Journal journal = new Journal();
		NsqTemplate template = Faults.template(cluster.nsqds());
		ConfigurableApplicationContext app = ListenerApp.overLookupd(cluster, journal, TOPIC, CHANNEL,
				Duration.ofSeconds(15));
		NsqServer victim = cluster.nsqd(1);
		long resumeMillis;
		int connectionsBefore;
		int threadsBefore;
		Load load = new Load(template, TOPIC, "freeze", 500, journal);
		try {
			Thread.sleep(2000);
			connectionsBefore = connections(app);
			threadsBefore = nsqThreads().size();
			victim.freeze();
			try {
				Thread.sleep(10_000);
			}
			finally {
				victim.thaw();
			}
			long thawed = System.nanoTime();
			victim.publish(TOPIC, "marker");
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> journal.wasHandled("marker"));
			resumeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - thawed);
			Thread.sleep(2000);
		}
		finally {
			load.close();
		}
		try {
			await().atMost(Duration.ofSeconds(30)).until(journal::allHandled);
			assertThat(connections(app)).as("listener connections after the thaw").isEqualTo(connectionsBefore);
			assertThat(nsqThreads()).as("nsq threads after the thaw").hasSize(threadsBefore);
		}
		finally {
			app.close();
			template.stop();
		}
		System.out.printf("nsqd frozen 10 s: %d of %d publishes failed, slowest failure after %d ms, e.g. %s;"
				+ " %s; consumption from the thawed nsqd resumed %d ms after SIGCONT; %d connections, %d nsq threads"
				+ " before and after%n", load.failed(), load.sent(), load.slowestFailure().toMillis(),
				load.failureMessages().stream().findFirst().orElse("-"), journal, resumeMillis, connectionsBefore,
				threadsBefore);
		assertThat(load.failed()).as("publishes to the frozen nsqd failed").isPositive();
		assertThat(load.failureMessages()).allSatisfy((failure) -> assertThat(failure)
			.startsWith("NsqPublishException").contains(victim.tcpAddress()));
		// the timeout, plus the watchdog's period and scheduling on a busy machine
		assertThat(load.slowestFailure()).isLessThan(Faults.PRODUCER_TIMEOUT.plusMillis(500));
		assertThat(journal.lost()).as("lost").isEmpty();
		assertThat(Faults.threads("nsq-read", "nsq-producer", "nsq-drain")).as("threads after close").isEmpty();
	}

	private static int connections(ConfigurableApplicationContext app) {
		return app.getBean(NsqListenerRegistry.class).getContainers().stream()
			.mapToInt((container) -> container.getConnectionCount()).sum();
	}

	/** The threads of connections; the shared pools' threads follow the load and end when idle (ThreadHygieneIntegrationTests). */
	private static java.util.List<String> nsqThreads() {
		return Faults.threads("nsq-read", "nsq-producer");
	}

}
