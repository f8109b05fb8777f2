package io.github.nsqspring.listener;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.nsqspring.support.SnowflakeIdGenerator;
import io.github.nsqspring.test.NsqCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A drain is not held up by a lookup stuck on an nsqlookupd that accepts the connection and never
 * answers: nsq-j keeps its subscriber's lock for such a lookup for up to 30 s (the drain took 32 s when
 * it waited for that lock; now about 2 s, nsq-j's client stop waiting for its scheduler thread).
 */
class UnresponsiveLookupdDrainIntegrationTests {

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(1);

	private final CountDownLatch answer = new CountDownLatch(1);

	private final CountDownLatch stuck = new CountDownLatch(1);

	private volatile boolean hanging;

	private HttpServer unresponsiveLookupd;

	@AfterEach
	void release() {
		this.answer.countDown();
		if (this.unresponsiveLookupd != null) {
			this.unresponsiveLookupd.stop(0);
		}
	}

	@Test
	void drainDoesNotWaitForALookupThatHangs() throws Exception {
		startUnresponsiveLookupd();
		cluster.nsqd(0).createChannel("stuck-lookup", "c");
		cluster.nsqd(0).publish("stuck-lookup", "first");
		await().until(() -> !cluster.lookupd().lookup("stuck-lookup").isEmpty());

		AtomicInteger handled = new AtomicInteger();
		NsqListenerContainer container = new NsqListenerContainer(1, lookupdProperties("stuck-lookup"), (message) -> handled.incrementAndGet(),
				(message, cause) -> {
				});
		container.start();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 1);
			this.hanging = true;
			assertThat(this.stuck.await(10, TimeUnit.SECONDS)).as("a lookup reached the unresponsive nsqlookupd").isTrue();

			long start = System.nanoTime();
			container.stop();
			Duration drain = Duration.ofNanos(System.nanoTime() - start);

			assertThat(drain).as("drain while a lookup hangs").isLessThan(Duration.ofSeconds(5));
			assertThat(container.getState()).isEqualTo(ContainerState.STOPPED);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(cluster.nsqd(0).stats().channel("stuck-lookup", "c").clientCount()).isZero());
		}
		finally {
			this.answer.countDown();
			container.stop();
		}
	}

	@Test
	void contextClosesWhenAPauseWaitsForALookupThatHangs() throws Exception {
		startUnresponsiveLookupd();
		cluster.nsqd(0).createChannel("paused-lookup", "c");
		cluster.nsqd(0).publish("paused-lookup", "first");
		await().until(() -> !cluster.lookupd().lookup("paused-lookup").isEmpty());

		NsqListenerRegistry registry = new NsqListenerRegistry(new SnowflakeIdGenerator(1));
		AtomicInteger handled = new AtomicInteger();
		NsqListenerContainer container = new NsqListenerContainer(2, lookupdProperties("paused-lookup"),
				(message) -> handled.incrementAndGet(), (message, cause) -> {
				});
		registry.registerListenerContainer(container);
		GenericApplicationContext context = new GenericApplicationContext();
		context.registerBean(NsqListenerRegistry.class, () -> registry);
		context.refresh();
		try {
			await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 1);
			this.hanging = true;
			assertThat(this.stuck.await(10, TimeUnit.SECONDS)).as("a lookup reached the unresponsive nsqlookupd").isTrue();
			Thread pausing = new Thread(container::pause, "pause-during-lookup");
			pausing.start();
			pausing.join(500);

			long start = System.nanoTime();
			context.close();
			Duration close = Duration.ofNanos(System.nanoTime() - start);

			assertThat(close).as("context close while a pause waits for a hung lookup").isLessThan(Duration.ofSeconds(5));
			assertThat(container.getState()).isEqualTo(ContainerState.STOPPED);
		}
		finally {
			this.answer.countDown();
			context.close();
		}
	}

	private void startUnresponsiveLookupd() throws IOException {
		this.unresponsiveLookupd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.unresponsiveLookupd.createContext("/lookup", this::lookup);
		this.unresponsiveLookupd.setExecutor(Executors.newCachedThreadPool());
		this.unresponsiveLookupd.start();
	}

	private ContainerProperties lookupdProperties(String topic) {
		ContainerProperties properties = new ContainerProperties(topic, "c");
		properties.setName(topic);
		properties.setLookupdAddresses(List.of(cluster.lookupd().httpAddress(),
				"127.0.0.1:" + this.unresponsiveLookupd.getAddress().getPort()));
		properties.setLookupdPollInterval(Duration.ofSeconds(1));
		return properties;
	}

	private void lookup(HttpExchange exchange) throws IOException {
		if (this.hanging) {
			this.stuck.countDown();
			try {
				this.answer.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		byte[] body = "{\"channels\":[],\"producers\":[]}".getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, body.length);
		exchange.getResponseBody().write(body);
		exchange.close();
	}

}
