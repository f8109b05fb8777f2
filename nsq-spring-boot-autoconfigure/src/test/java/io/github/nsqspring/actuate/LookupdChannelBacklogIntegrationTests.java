package io.github.nsqspring.actuate;

import java.time.Duration;
import java.util.List;

import io.github.nsqspring.core.NsqdStatsReader;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.support.SnowflakeIdGenerator;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The channel backlog of a listener that finds its nsqd through a real nsqlookupd: read from each nsqd it
 * is connected to, at the HTTP address nsqlookupd lists; still read from them while the listener is stopped.
 */
class LookupdChannelBacklogIntegrationTests {

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(2);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final NsqListenerRegistry registry = new NsqListenerRegistry(new SnowflakeIdGenerator(1));

	private final ChannelBacklogMonitor monitor = new ChannelBacklogMonitor(this.registry,
			new NsqdStatsReader(Duration.ofSeconds(1), null), List.of(), List.of(), Duration.ofMillis(200));

	@AfterEach
	void stop() {
		this.registry.stop();
		this.monitor.close();
	}

	@Test
	void readsEachNsqdTheListenerIsConnectedToAndKeepsReadingThemWhileItIsStopped() {
		NsqServer first = cluster.nsqd(0);
		NsqServer second = cluster.nsqd(1);
		first.createChannel("lookupd-backlog", "c");
		second.createChannel("lookupd-backlog", "c");
		ContainerProperties properties = new ContainerProperties("lookupd-backlog", "c");
		properties.setName("discovering");
		properties.setLookupdAddresses(List.of(cluster.lookupd().httpAddress()));
		properties.setLookupdPollInterval(Duration.ofSeconds(1));
		properties.setMaxInFlight(4);
		NsqListenerContainer container = new NsqListenerContainer(this.registry.nextContainerId(), properties, (message) -> {
		}, (message, cause) -> {
		});
		this.registry.registerListenerContainer(container);
		this.monitor.pollContinuously(new NsqChannelMetrics(this.meters)::register);
		this.monitor.start();
		this.registry.start();
		await().until(() -> container.getConnectionCount() == 2);
		await().untilAsserted(() -> assertThat(this.monitor.backlog(container).nsqd())
			.containsOnlyKeys(first.httpAddress(), second.httpAddress()));

		container.stop();
		first.publishBatch("lookupd-backlog", List.of("1", "2"));
		second.publishBatch("lookupd-backlog", List.of("3", "4", "5"));
		await().untilAsserted(() -> assertThat(this.meters.get("nsq.channel.depth").tag("listener", "discovering").gauge().value())
			.isEqualTo(5)
			.isEqualTo(first.stats().channel("lookupd-backlog", "c").depth() + second.stats().channel("lookupd-backlog", "c").depth()));
		assertThat(this.monitor.backlog(container).nsqd().get(second.httpAddress()).depth()).isEqualTo(3);
	}

}
