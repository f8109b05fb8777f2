package io.github.nsqspring.listener.event;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.ContainerState;
import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container events against a real nsqd, published through the application context: each fires when
 * stated, and a listener of them may stop or pause the container.
 */
class ContainerEventsIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	/** Killed and restarted by a test. */
	@RegisterExtension
	static NsqServer killed = NsqServer.create();

	static final List<Seen> seen = new CopyOnWriteArrayList<>();

	static final List<String> received = new CopyOnWriteArrayList<>();

	@AfterEach
	void clear() {
		seen.clear();
		received.clear();
	}

	private static ApplicationContextRunner runner(NsqServer server, Class<?> listeners, String... properties) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + server.tcpAddress(), "spring.application.name=events")
			.withPropertyValues(properties)
			.withUserConfiguration(Recorder.class, listeners);
	}

	static <E extends NsqListenerContainerEvent> List<Seen> seen(Class<E> type, String listener) {
		return seen.stream().filter((s) -> type.isInstance(s.event()) && s.event().getListenerId().equals(listener)).toList();
	}

	@Nested
	class Lifecycle {

		@Test
		void startedThenIdleEachIntervalUntilAMessageThenStoppedWithTheDrainReport() {
			nsqd.createChannel("ev-idle", "events");
			runner(nsqd, IdleListener.class, "nsq.consumer.idle-event-interval=600ms").run((context) -> {
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("ev-idle").orElseThrow();
				assertThat(seen(NsqListenerContainerStartedEvent.class, "ev-idle")).singleElement()
					.satisfies((started) -> assertThat(started.event().getContainer()).isSameAs(container));
				long startedAt = seen(NsqListenerContainerStartedEvent.class, "ev-idle").get(0).nanos();

				await().atMost(Duration.ofSeconds(10)).until(() -> seen(NsqListenerContainerIdleEvent.class, "ev-idle").size() >= 3);
				List<Seen> idle = seen(NsqListenerContainerIdleEvent.class, "ev-idle");
				// the idle time counts from the run's creation, a few ms before the started event (the connection in
				// between): not early by more than one of the watch's ticks (a tenth of the interval)
				assertThat(millis(idle.get(0).nanos() - startedAt)).as("first idle event after the interval").isGreaterThanOrEqualTo(600 - 60);
				for (int i = 0; i < 3; i++) {
					NsqListenerContainerIdleEvent event = (NsqListenerContainerIdleEvent) idle.get(i).event();
					// each interval (a tick is a tenth of it: 60 ms), idle since the start
					assertThat(event.getIdleTime().toMillis()).as("idle time of event %d", i + 1)
						.isBetween(600L * (i + 1), 600L * (i + 1) + 600);
					assertThat(event.isPaused()).isFalse();
				}

				nsqd.publish("ev-idle", "wake");
				await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("wake"));
				long messageAt = IdleListener.receivedAt;
				int before = seen(NsqListenerContainerIdleEvent.class, "ev-idle").size();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> seen(NsqListenerContainerIdleEvent.class, "ev-idle").size() > before);
				Seen afterMessage = seen(NsqListenerContainerIdleEvent.class, "ev-idle").get(before);
				// the idle time starts again from the message (without it would be 2400 ms and more)
				assertThat(afterMessage.nanos()).as("the next idle event comes after the message").isGreaterThan(messageAt);
				assertThat(((NsqListenerContainerIdleEvent) afterMessage.event()).getIdleTime().toMillis()).isBetween(600L, 1300L);
				assertThat(seen(NsqListenerContainerStoppedEvent.class, "ev-idle")).isEmpty();
			});
			assertThat(seen(NsqListenerContainerStoppedEvent.class, "ev-idle")).singleElement().satisfies((stopped) -> {
				NsqListenerContainerStoppedEvent event = (NsqListenerContainerStoppedEvent) stopped.event();
				assertThat(event.getDrainReport().listener()).isEqualTo("ev-idle");
				assertThat(event.getDrainReport().connectionsClosed()).isEqualTo(1);
				assertThat(stopped.thread()).startsWith("nsq-drain-");
			});
			int idleAtClose = seen(NsqListenerContainerIdleEvent.class, "ev-idle").size();
			await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
				.until(() -> seen(NsqListenerContainerIdleEvent.class, "ev-idle").size() == idleAtClose);
			assertThat(seen).extracting((s) -> s.event().getClass().getSimpleName())
				.doesNotContain("NsqListenerContainerFailedToStartEvent", "NsqListenerContainerConnectionLostEvent");
		}

		@Test
		void aListenerOfTheIdleEventStopsTheContainerWithoutDeadlock() {
			nsqd.createChannel("ev-stopper", "events");
			runner(nsqd, StoppingListener.class, "nsq.consumer.idle-event-interval=300ms").run((context) -> {
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("ev-stopper").orElseThrow();
				await().atMost(Duration.ofSeconds(10)).until(() -> container.getState() == ContainerState.STOPPED);
				await().atMost(Duration.ofSeconds(5))
					.until(() -> seen(NsqListenerContainerStoppedEvent.class, "ev-stopper").size() == 1);
				assertThat(StoppingListener.stopReturned).as("the stop called from the idle event returned").isTrue();
				// the watch ended with the run: one idle event, and the stop came from the watch thread
				await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
					.until(() -> seen(NsqListenerContainerIdleEvent.class, "ev-stopper").size() == 1);
				assertThat(seen(NsqListenerContainerIdleEvent.class, "ev-stopper").get(0).thread()).isEqualTo("nsq-container-watch");
			});
		}

		@Test
		void failedToStartWithTheCauseBeforeTheContextFails() {
			// host:port in shape, but nsq-j's parser refuses it when the container starts
			runner(nsqd, IdleListener.class, "nsq.lookupd-addresses=[::1]x:4161").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("Listener 'ev-idle' could not start")
					.hasStackTraceContaining("[::1]x:4161");
			});
			assertThat(seen(NsqListenerContainerFailedToStartEvent.class, "ev-idle")).singleElement().satisfies((failed) -> {
				Throwable cause = ((NsqListenerContainerFailedToStartEvent) failed.event()).getCause();
				assertThat(cause).hasMessageContaining("Listener 'ev-idle' could not start").hasMessageContaining("[::1]x:4161");
			});
			assertThat(seen(NsqListenerContainerStartedEvent.class, "ev-idle")).isEmpty();
		}

		@Test
		void aContainerWithoutEventsWatchesNothing() {
			nsqd.createChannel("ev-plain", "events");
			ContainerProperties properties = new ContainerProperties("ev-plain", "events");
			properties.setNsqdAddresses(List.of(nsqd.tcpAddress()));
			properties.setIdleEventInterval(Duration.ofMillis(100));
			NsqListenerContainer container = new NsqListenerContainer(7, properties, (message) -> {
			}, (message, cause) -> {
			});
			container.start();
			try {
				await().atMost(Duration.ofSeconds(5)).until(() -> container.getConnectionCount() == 1);
				await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> Thread.getAllStackTraces()
					.keySet()
					.stream()
					.noneMatch((thread) -> thread.getName().equals("nsq-container-watch")));
			}
			finally {
				container.stop();
			}
		}

	}

	@Nested
	class Connections {

		@Test
		void lostAfterTheReconnectGraceWhenNsqdIsKilledAndRestoredWhenItIsBack() {
			killed.createChannel("ev-conn", "events");
			// grace: reconnect-delay (1 s) + nsq-j's check period (1 s)
			runner(killed, PausingListener.class, "nsq.consumer.reconnect-delay=1s", "nsq.consumer.reconnect-max-delay=2s")
				.run((context) -> {
					NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class)
						.getContainer("ev-conn")
						.orElseThrow();
					await().atMost(Duration.ofSeconds(5)).until(() -> container.getConnectionCount() == 1);
					long killedAt = System.nanoTime();
					killed.kill();
					await().atMost(Duration.ofSeconds(10))
						.until(() -> seen(NsqListenerContainerConnectionLostEvent.class, "ev-conn").size() == 1);
					Seen lost = seen(NsqListenerContainerConnectionLostEvent.class, "ev-conn").get(0);
					NsqListenerContainerConnectionLostEvent lostEvent = (NsqListenerContainerConnectionLostEvent) lost.event();
					assertThat(lostEvent.getNsqdAddress()).isEqualTo(killed.tcpAddress());
					assertThat(lostEvent.getDowntime()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
					long lostAfter = millis(lost.nanos() - killedAt);
					System.out.println("Connection lost event " + lostAfter + " ms after nsqd was killed");
					assertThat(lostAfter).as("grace of 2 s, then within a tick or two").isBetween(2000L, 4000L);
					// the listener of the event paused the container, on the watch thread, without a deadlock
					await().atMost(Duration.ofSeconds(5)).until(() -> container.getState() == ContainerState.PAUSED);
					assertThat(lost.thread()).isEqualTo("nsq-container-watch");

					killed.start();
					long backAt = System.nanoTime();
					await().atMost(Duration.ofSeconds(10))
						.until(() -> seen(NsqListenerContainerConnectionRestoredEvent.class, "ev-conn").size() == 1);
					Seen restored = seen(NsqListenerContainerConnectionRestoredEvent.class, "ev-conn").get(0);
					assertThat(((NsqListenerContainerConnectionRestoredEvent) restored.event()).getNsqdAddress())
						.isEqualTo(killed.tcpAddress());
					System.out.println("Connection restored event " + millis(restored.nanos() - backAt) + " ms after nsqd was back");
					assertThat(container.getConnectionCount()).isEqualTo(1);

					container.resume();
					killed.publish("ev-conn", "after");
					await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));
					assertThat(seen(NsqListenerContainerConnectionLostEvent.class, "ev-conn")).hasSize(1);
				});
		}

	}

	private static long millis(long nanos) {
		return Duration.ofNanos(nanos).toMillis();
	}

	record Seen(NsqListenerContainerEvent event, long nanos, String thread) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Recorder {

		@EventListener
		void on(NsqListenerContainerEvent event) {
			seen.add(new Seen(event, System.nanoTime(), Thread.currentThread().getName()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class IdleListener {

		static volatile long receivedAt;

		@NsqListener(id = "ev-idle", topic = "ev-idle")
		void on(String body) {
			receivedAt = System.nanoTime();
			received.add(body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StoppingListener {

		static volatile boolean stopReturned;

		@NsqListener(id = "ev-stopper", topic = "ev-stopper")
		void on(String body) {
			received.add(body);
		}

		@EventListener
		void onIdle(NsqListenerContainerIdleEvent event) {
			event.getContainer().stop();
			stopReturned = true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PausingListener {

		@NsqListener(id = "ev-conn", topic = "ev-conn")
		void on(String body) {
			received.add(body);
		}

		@EventListener
		void onLost(NsqListenerContainerConnectionLostEvent event) {
			event.getContainer().pause();
		}

	}

}
