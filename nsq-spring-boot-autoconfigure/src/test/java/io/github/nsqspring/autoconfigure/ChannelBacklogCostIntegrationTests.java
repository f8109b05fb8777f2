package io.github.nsqspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.github.nsqspring.actuate.ChannelBacklogMonitor;
import io.github.nsqspring.actuate.NsqEndpoint;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What reading the channel backlog costs nsqd, counted by HTTP proxies in front of the HTTP ports of three
 * real nsqd (listeners connect to the nsqd directly; the proxies are their {@code nsq.nsqd-http-addresses}):
 * with a MeterRegistry one {@code /stats} request per nsqd per stats interval for all listeners; with the
 * endpoint alone, requests only when it is read; with neither, none.
 */
class ChannelBacklogCostIntegrationTests {

	private static final String STATS = "/stats?format=json&include_clients=false&include_mem=false";

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(3);

	private static List<CountingHttpProxy> proxies;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqMetricsAutoConfiguration.class,
				NsqEndpointAutoConfiguration.class))
		.withUserConfiguration(Listeners.class)
		.withPropertyValues("nsq.nsqd-addresses=" + cluster.nsqdTcpAddresses(),
				"nsq.nsqd-http-addresses=" + proxies.stream().map(CountingHttpProxy::address).collect(Collectors.joining(",")));

	@BeforeAll
	static void startProxies() throws Exception {
		List<CountingHttpProxy> started = new ArrayList<>();
		for (NsqServer nsqd : cluster.nsqds()) {
			started.add(new CountingHttpProxy(nsqd.httpAddress()));
		}
		proxies = List.copyOf(started);
	}

	@AfterAll
	static void stopProxies() {
		proxies.forEach(CountingHttpProxy::close);
	}

	@Test
	void withAMeterRegistryAHundredListenersOnThreeNsqdCostAtMostThreeRequestsPerInterval() {
		Duration interval = Duration.ofMillis(200);
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("test.listeners=100", "nsq.consumer.stats-interval=200ms", "management.endpoints.web.exposure.include=nsq")
			.run((context) -> {
				NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(registry.getContainers()).hasSize(100);
				await().atMost(Duration.ofSeconds(60))
					.until(() -> registry.getContainers().stream().allMatch((container) -> container.getConnectionCount() == 3));
				await().untilAsserted(() -> assertThat(meters.find("nsq.channel.depth").gauges()).hasSize(100)
					.allSatisfy((gauge) -> assertThat(gauge.value()).isZero()));

				int[] before = proxies.stream().mapToInt((proxy) -> proxy.requests().size()).toArray();
				long started = System.nanoTime();
				NsqEndpoint endpoint = context.getBean(NsqEndpoint.class);
				// the endpoint shows what the meters' reads got: reading it adds no request
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					assertThat(endpoint.containers().containers()).hasSize(100)
						.allSatisfy((container) -> assertThat(container.backlog().depth()).isZero());
					for (int i = 0; i < proxies.size(); i++) {
						assertThat(proxies.get(i).requests().size() - before[i]).isGreaterThanOrEqualTo(10);
					}
				});
				long elapsedNanos = System.nanoTime() - started;
				int total = 0;
				for (int i = 0; i < proxies.size(); i++) {
					List<CountingHttpProxy.Request> requests = proxies.get(i).requests();
					total += requests.size() - before[i];
					assertThat(requests).extracting(CountingHttpProxy.Request::pathAndQuery).containsOnly(STATS);
					for (int r = 1; r < requests.size(); r++) {
						assertThat(requests.get(r).nanos() - requests.get(r - 1).nanos()).as("gap between two requests to one nsqd")
							.isGreaterThanOrEqualTo(interval.toNanos());
					}
				}
				long intervals = elapsedNanos / interval.toNanos() + 1;
				System.out.println("100 listeners on 3 nsqd: " + total + " /stats requests in " + elapsedNanos / 1_000_000
						+ " ms (stats interval " + interval.toMillis() + " ms, at most " + 3 * intervals + " allowed)");
				assertThat(total).isLessThanOrEqualTo((int) (3 * intervals));
			});
	}

	@Test
	void withTheEndpointAloneNsqdIsReadWhenTheEndpointIsReadAtMostOncePerInterval() {
		this.runner.withPropertyValues("nsq.consumer.stats-interval=1h", "management.endpoints.web.exposure.include=nsq")
			.run((context) -> {
				ChannelBacklogMonitor monitor = context.getBean(ChannelBacklogMonitor.class);
				assertThat(monitor.isRunning()).isFalse();
				awaitConnected(context.getBean(NsqListenerRegistry.class));
				int[] before = proxies.stream().mapToInt((proxy) -> proxy.requests().size()).toArray();
				assertNoRequestsFor(Duration.ofSeconds(1), before);
				assertThat(threadNames()).doesNotContain("nsq-channel-stats");

				NsqEndpoint endpoint = context.getBean(NsqEndpoint.class);
				NsqEndpoint.ContainerDescriptor listener = endpoint.containers().containers().get(0);
				assertThat(listener.backlog().depth()).isZero();
				assertThat(listener.backlog().nsqd())
					.containsOnlyKeys(proxies.stream().map(CountingHttpProxy::address).toArray(String[]::new));
				endpoint.containers();
				endpoint.container(listener.name());
				for (int i = 0; i < proxies.size(); i++) {
					assertThat(proxies.get(i).requests().size() - before[i]).as("one read for three views within the interval")
						.isEqualTo(1);
				}
			});
	}

	@Test
	void withoutMeterRegistryOrEndpointNothingReadsNsqd() {
		this.runner.withPropertyValues("nsq.consumer.stats-interval=200ms").run((context) -> {
			assertThat(context).doesNotHaveBean(ChannelBacklogMonitor.class);
			awaitConnected(context.getBean(NsqListenerRegistry.class));
			int[] before = proxies.stream().mapToInt((proxy) -> proxy.requests().size()).toArray();
			assertNoRequestsFor(Duration.ofSeconds(1), before);
		});
	}

	@Test
	void aStatsIntervalThatIsNotPositiveFailsStartupNamingTheProperty() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("nsq.consumer.stats-interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("nsq.consumer.stats-interval"));
	}

	private static void awaitConnected(NsqListenerRegistry registry) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> registry.getContainers().stream().allMatch((container) -> container.getConnectionCount() == 3));
	}

	private static void assertNoRequestsFor(Duration duration, int[] before) {
		await().during(duration).atMost(duration.plusSeconds(1)).untilAsserted(() -> {
			for (int i = 0; i < proxies.size(); i++) {
				assertThat(proxies.get(i).requests()).hasSize(before[i]);
			}
		});
	}

	private static List<String> threadNames() {
		return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
	}

	/** {@code test.listeners} listeners (2 by default) on ten topics, each with a channel of its own. */
	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		SmartInitializingSingleton registerListeners(NsqListenerRegistry registry, NsqListenerContainerFactory factory,
				Environment environment) {
			int count = environment.getProperty("test.listeners", Integer.class, 2);
			return () -> {
				for (int i = 0; i < count; i++) {
					String name = "cost-" + i;
					registry.registerListenerContainer(factory.createContainer(registry.nextContainerId(), "cost-" + (i % 10),
							"c" + i, (properties) -> properties.setName(name), (message) -> {
							}));
				}
			};
		}

	}

}
