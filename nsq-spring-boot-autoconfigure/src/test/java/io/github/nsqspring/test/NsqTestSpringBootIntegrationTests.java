package io.github.nsqspring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.NsqListenerRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @SpringBootTest} with {@code @NsqTest} and no {@code @DynamicPropertySource}: the context is
 * pointed at the class's nsqlookupd and nsqd, a listener discovers nsqd through nsqlookupd and receives what
 * the template sent.
 */
@SpringBootTest(properties = { "spring.application.name=nsq-test-context", "nsq.consumer.lookupd-poll-interval=1s" })
@NsqTest(nsqd = 2, lookupd = true)
class NsqTestSpringBootIntegrationTests {

	@Autowired
	NsqOperations template;

	@Autowired
	Listener listener;

	@Test
	void pointsTheContextAtTheClassesProcesses(NsqCluster cluster, @Autowired Environment environment) {
		assertThat(environment.getProperty("nsq.lookupd-addresses")).isEqualTo(cluster.lookupd().httpAddress());
		assertThat(environment.getProperty("nsq.nsqd-addresses")).isEqualTo(cluster.nsqdTcpAddresses());
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
				@Autowired Environment environment) {
			assertThat(environment.getProperty("nsq.lookupd-addresses")).isEqualTo(cluster.lookupd().httpAddress());
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
