package io.github.nsqspring.test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** A Spring test context of an {@code @NsqTest} class gets the nsqd address, and is closed with the processes. */
class NsqTestSpringContextTests {

	static final AtomicReference<String> seenAddress = new AtomicReference<>();

	static final AtomicReference<NsqServer> server = new AtomicReference<>();

	static final AtomicBoolean contextClosed = new AtomicBoolean();

	@Test
	void contextGetsTheAddressAndClosesAfterTheClass() {
		EngineTestKit.engine("junit-jupiter").selectors(selectClass(SpringTestWithNsqd.class)).execute()
			.testEvents().assertStatistics((stats) -> stats.succeeded(1).failed(0));

		assertThat(seenAddress.get()).isEqualTo(server.get().tcpAddress());
		assertThat(contextClosed).isTrue();
		assertThat(server.get().isRunning()).isFalse();
	}

	@NsqTest
	@SpringJUnitConfig(Config.class)
	static class SpringTestWithNsqd {

		@Test
		void test(NsqServer nsqd, @Value("${nsq.nsqd-addresses}") String address) {
			server.set(nsqd);
			seenAddress.set(address);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Config {

		@Bean
		DisposableBean closeRecorder() {
			return () -> contextClosed.set(true);
		}

	}

}
