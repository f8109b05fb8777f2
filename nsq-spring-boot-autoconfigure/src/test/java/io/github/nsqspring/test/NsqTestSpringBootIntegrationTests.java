package io.github.nsqspring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqConnectionDetails;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.NsqListenerRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @SpringBootTest} with {@code @NsqTest} and no {@code @DynamicPropertySource}: the context gets an
 * {@link NsqConnectionDetails} bean with the class's nsqlookupd and nsqd, which the auto-configuration uses
 * instead of the application's {@code nsq.nsqd-addresses} (an address where nothing listens); a listener
 * discovers nsqd through nsqlookupd and receives what the template sent.
 */
@SpringBootTest(properties = { "spring.application.name=nsq-test-context", "nsq.consumer.lookupd-poll-interval=1s",
		"nsq.nsqd-addresses=" + NsqTestSpringBootIntegrationTests.APPLICATION_NSQD })
@NsqTest(nsqd = 2, lookupd = true)
class NsqTestSpringBootIntegrationTests {

	static final String APPLICATION_NSQD = "127.0.0.1:9";

	@Autowired
	NsqOperations template;

	@Autowired
	Listener listener;

	@Test
	void registersTheConnectionDetailsOfTheClassesProcesses(NsqCluster cluster, @Autowired ApplicationContext context) {
		assertThat(context.getBeanNamesForType(NsqConnectionDetails.class)).containsExactly("nsqTestConnectionDetails");
		NsqConnectionDetails connectionDetails = context.getBean(NsqConnectionDetails.class);
		assertThat(connectionDetails.getNsqdAddresses()).containsExactly(cluster.nsqd(0).tcpAddress(), cluster.nsqd(1).tcpAddress());
		assertThat(connectionDetails.getNsqdHttpAddresses()).containsExactly(cluster.nsqd(0).httpAddress(), cluster.nsqd(1).httpAddress());
		assertThat(connectionDetails.getLookupdAddresses()).containsExactly(cluster.lookupd().httpAddress());
	}

	@Test
	void addsNoProperties(@Autowired Environment environment) {
		assertThat(environment.getProperty("nsq.nsqd-addresses")).isEqualTo(APPLICATION_NSQD);
		assertThat(environment.getProperty("nsq.lookupd-addresses")).isNull();
	}

	@Test
	void listenerReceivesWhatTheTemplateSent(NsqCluster cluster) {
		this.template.send("nsq-test-context", "hello");
		await().untilAsserted(() -> assertThat(this.listener.received).contains("hello"));
		assertThat(cluster.nsqd(0).stats().channel("nsq-test-context", "nsq-test-context").messageCount()).isOne();
	}

	@Nested
	class SharedProcesses {

		@Test
		void nestedClassesShareTheContextAndProcesses(NsqCluster cluster, @Autowired NsqListenerRegistry registry,
				@Autowired NsqConnectionDetails connectionDetails) {
			assertThat(connectionDetails.getLookupdAddresses()).containsExactly(cluster.lookupd().httpAddress());
			assertThat(registry.getContainers()).singleElement().satisfies((container) -> assertThat(container.isRunning()).isTrue());
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		Listener listener() {
			return new Listener();
		}

	}

	static class Listener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "nsq-test-context")
		void onMessage(String body) {
			this.received.add(body);
		}

	}

}
