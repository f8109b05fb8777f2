package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.ToLongFunction;

import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.core.TestTemplates;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats.ChannelStats;

import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/** What the fault scenarios share: a template over several nsqd, channel stats summed over them, thread counts. */
final class Faults {

	static final Duration PRODUCER_TIMEOUT = Duration.ofSeconds(2);

	private Faults() {
	}

	/** A started template publishing round robin over the nsqd, with a short timeout. */
	static NsqTemplate template(Collection<NsqServer> nsqds) {
		return TestTemplates.started(nsqds.stream().map(NsqServer::tcpAddress).toList(), 1, PRODUCER_TIMEOUT,
				Duration.ofMinutes(1));
	}

	/** Creates the channel (and topic) on every nsqd, so that what is published from now on queues for it. */
	static void createChannel(Collection<NsqServer> nsqds, String topic, String channel) {
		nsqds.forEach((nsqd) -> nsqd.createChannel(topic, channel));
	}

	/** One figure of the channel summed over the running nsqd. */
	static long sum(Collection<NsqServer> nsqds, String topic, String channel, ToLongFunction<ChannelStats> figure) {
		return nsqds.stream().filter(NsqServer::isRunning)
			.mapToLong((nsqd) -> nsqd.stats().findTopic(topic).flatMap((stats) -> stats.findChannel(channel))
				.map(figure::applyAsLong).orElse(0L))
			.sum();
	}

	/**
	 * Waits (at most 30 s) until every publish acknowledged in the journals was handled, then closes the
	 * applications and stops the template, also when the wait fails.
	 */
	static void awaitHandledThenClose(List<Journal> journals, NsqTemplate template, ConfigurableApplicationContext... apps) {
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> journals.stream().allMatch(Journal::allHandled));
		}
		finally {
			for (ConfigurableApplicationContext app : apps) {
				app.close();
			}
			template.stop();
		}
	}

	/** Live threads whose name contains one of the fragments (nsq-j's and the template's threads). */
	static List<String> threads(String... fragments) {
		return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
			.filter((name) -> List.of(fragments).stream().anyMatch(name::contains)).toList();
	}

}
