package io.github.nsqspring.listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sproutsocial.nsq.ContainerClient;
import io.github.nsqspring.core.NsqAddress;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats.ChannelStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backlog-aware RDY against three real nsqd behind a real nsqlookupd, with fewer RDY than connections:
 * nsqd's own {@code /stats} is the ground truth of the RDY each connection holds.
 */
class BacklogAwareReadyIntegrationTests {

	private static final String CHANNEL = "rdy";

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(3);

	private final List<NsqListenerContainer> containers = new ArrayList<>();

	@AfterEach
	void stop() {
		this.containers.forEach(NsqListenerContainer::stop);
	}

	@Test
	void readyAndMessagesInFlightNeverExceedMaxInFlight() throws Exception {
		String topic = "rdy-total";
		for (NsqServer nsqd : cluster.nsqds()) {
			nsqd.publishBatch(topic, bodies(nsqd.tcpAddress(), 200));
		}
		AtomicInteger handled = new AtomicInteger();
		NsqListenerContainer container = start(lookupd(topic, 2, 2), (message) -> {
			Thread.sleep(10);
			handled.incrementAndGet();
		});
		// nsqd are read at once; a sample counts when all answered within half the time an RDY given up settles
		// before another connection gets it: then no sample sees one connection before and another after a move
		long window = TimeUnit.MILLISECONDS.toNanos(ContainerClient.readySettleMillis()) / 2;
		long maxReady = 0;
		long maxInFlight = 0;
		int samples = 0;
		int slowSamples = 0;
		ExecutorService readers = Executors.newFixedThreadPool(cluster.nsqds().size());
		try {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (handled.get() < 600 && System.nanoTime() < deadline) {
				long asked = System.nanoTime();
				List<Future<ChannelStats>> reads = new ArrayList<>();
				for (NsqServer nsqd : cluster.nsqds()) {
					reads.add(readers.submit(() -> nsqd.stats().findTopic(topic).flatMap((t) -> t.findChannel(CHANNEL)).orElse(null)));
				}
				long ready = 0;
				long inFlight = 0;
				for (Future<ChannelStats> read : reads) {
					ChannelStats channel = read.get();
					if (channel != null) {
						ready += channel.readyCount();
						inFlight += channel.inFlightCount();
					}
				}
				if (System.nanoTime() - asked >= window) {
					slowSamples++;
					continue;
				}
				maxReady = Math.max(maxReady, ready);
				maxInFlight = Math.max(maxInFlight, inFlight);
				samples++;
			}
		}
		finally {
			readers.shutdownNow();
		}
		System.out.printf("backlog-aware RDY, max-in-flight 2 over %d nsqd: %d samples within %d ms (%d slower left out),"
				+ " highest RDY total %d, highest in flight %d, handled %d%n", container.getConnectionCount(), samples,
				TimeUnit.NANOSECONDS.toMillis(window), slowSamples, maxReady, maxInFlight, handled.get());
		assertThat(handled).as("handled").hasValue(600);
		assertThat(samples).as("stats samples").isGreaterThan(50);
		assertThat(maxReady).as("highest sum of ready_count").isLessThanOrEqualTo(2);
		// RDY is this side's to give and never exceeds the budget; nsqd's in-flight count lags a FIN by its transit
		// and nsqd's processing, so during a move the donor's last message may still count there while the
		// receiver's first arrives (one at a time: a move waits for the donor's message to be done)
		assertThat(maxInFlight).as("highest sum of in_flight_count").isLessThanOrEqualTo(2 + 1);
	}

	@Test
	void messageOnAnEmptyNsqdIsStartedWithinOnePeriod() throws Exception {
		String topic = "rdy-new-message";
		for (NsqServer nsqd : cluster.nsqds()) {
			nsqd.createTopic(topic);
			nsqd.createChannel(topic, CHANNEL);
		}
		Map<String, Long> started = new ConcurrentHashMap<>();
		NsqListenerContainer container = start(lookupd(topic, 1, 1),
				(message) -> started.put(new String(message.body(), java.nio.charset.StandardCharsets.UTF_8), System.nanoTime()));
		await().atMost(Duration.ofSeconds(10)).until(() -> container.getConnectionCount() == 3);
		long period = ContainerClient.readyPeriodMillis();
		long slowest = 0;
		for (int round = 0; round < 3; round++) {
			for (NsqServer nsqd : cluster.nsqds()) {
				// long enough for every connection's RDY to be found unused
				Thread.sleep(2 * period);
				String body = nsqd.tcpAddress() + "-" + round;
				long published = System.nanoTime();
				nsqd.publish(topic, body);
				await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2)).until(() -> started.containsKey(body));
				slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(started.get(body) - published));
			}
		}
		System.out.printf("backlog-aware RDY, max-in-flight 1 over 3 nsqd: slowest start of a message on an empty nsqd %d ms (period %d ms)%n",
				slowest, period);
		assertThat(slowest).as("slowest start (ms) of a message on an nsqd that held none").isLessThanOrEqualTo(period + 250);
	}

	@Test
	void nsqdWithoutAnsweringHttpPortStillGetsItsMessagesConsumed() throws Exception {
		String topic = "rdy-no-http";
		List<String> addresses = new ArrayList<>();
		for (NsqServer nsqd : cluster.nsqds()) {
			NsqAddress tcp = NsqAddress.parse(nsqd.tcpAddress());
			// directly connected, the depths are read at the TCP port plus one: nothing listens there
			assertThat(answers(tcp.host(), tcp.port() + 1)).as("something listens at " + tcp.host() + ":" + (tcp.port() + 1)).isFalse();
			addresses.add(nsqd.tcpAddress());
			nsqd.publishBatch(topic, bodies(nsqd.tcpAddress(), 20));
		}
		ContainerProperties properties = new ContainerProperties(topic, CHANNEL);
		properties.setNsqdAddresses(addresses);
		properties.setMaxInFlight(1);
		AtomicInteger handled = new AtomicInteger();
		start(properties, (message) -> handled.incrementAndGet());
		await().atMost(Duration.ofSeconds(30)).until(() -> handled.get() == 60);
		for (NsqServer nsqd : cluster.nsqds()) {
			assertThat(nsqd.stats().channel(topic, CHANNEL).depth()).as("depth on " + nsqd).isZero();
		}
	}

	private static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static List<String> bodies(String prefix, int count) {
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			bodies.add(prefix + "-" + i);
		}
		return bodies;
	}

	private static ContainerProperties lookupd(String topic, int maxInFlight, int concurrency) {
		ContainerProperties properties = new ContainerProperties(topic, CHANNEL);
		properties.setLookupdAddresses(List.of(cluster.lookupd().httpAddress()));
		properties.setLookupdPollInterval(Duration.ofSeconds(1));
		properties.setMaxInFlight(maxInFlight);
		properties.setConcurrency(concurrency);
		return properties;
	}

	private NsqListenerContainer start(ContainerProperties properties, NsqMessageListener listener) {
		NsqListenerContainer container = new NsqListenerContainer(this.containers.size() + 1, properties, listener,
				(message, cause) -> { });
		this.containers.add(container);
		container.start();
		return container;
	}

}
