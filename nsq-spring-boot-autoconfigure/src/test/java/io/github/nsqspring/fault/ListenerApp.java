package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.test.NsqCluster;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * An application with one {@code @NsqListener} on {@code fault.topic} / {@code fault.channel} that writes
 * every message into a {@link Journal}; several run side by side in one JVM as separate instances.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(NsqAutoConfiguration.class)
class ListenerApp {

	private final Journal journal;

	ListenerApp(Journal journal) {
		this.journal = journal;
	}

	@NsqListener(id = "fault", topic = "${fault.topic}", channel = "${fault.channel}", concurrency = "16",
			maxInFlight = "32")
	void onMessage(String body, NsqMessage message) throws InterruptedException {
		this.journal.handled(body, message.attempts());
		// some work, so that handlers are running when a fault strikes (16 threads: up to 1,600 msgs/s)
		Thread.sleep(10);
	}

	/**
	 * Creates the channel on every nsqd of the cluster and starts an instance that finds them through its
	 * nsqlookupd, polling at the given interval.
	 */
	static ConfigurableApplicationContext overLookupd(NsqCluster cluster, Journal journal, String topic, String channel,
			Duration pollInterval) {
		Faults.createChannel(cluster.nsqds(), topic, channel);
		return start(journal, topic, channel, Map.of("nsq.lookupd-addresses", cluster.lookupd().httpAddress(),
				"nsq.consumer.lookupd-poll-interval", pollInterval.toMillis() + "ms"));
	}

	/** Starts an instance with the given properties (e.g. nsq.lookupd-addresses). */
	static ConfigurableApplicationContext start(Journal journal, String topic, String channel, Map<String, Object> properties) {
		Map<String, Object> all = new HashMap<>(properties);
		all.put("fault.topic", topic);
		all.put("fault.channel", channel);
		all.put("spring.main.banner-mode", "off");
		return new SpringApplicationBuilder(ListenerApp.class).web(WebApplicationType.NONE)
			.properties(all)
			.initializers((context) -> context.getBeanFactory().registerSingleton("journal", journal))
			.run();
	}

}
