package io.github.nsqspring.listener;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.sproutsocial.nsq.Client;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After close no thread started for a container is alive, the threads all containers share are daemon threads
 * that end once idle, and nsq-j's shared default client was never used.
 */
class ThreadHygieneIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final AtomicInteger handled = new AtomicInteger();

	@Test
	void noContainerThreadSurvivesCloseAndTheDefaultClientIsNeverStarted() throws Exception {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		for (int i = 0; i < 20; i++) {
			nsqd.publish("hygiene-a", "a" + i);
			nsqd.publish("hygiene-b", "b" + i);
		}
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=hygiene")
			.withUserConfiguration(Listeners.class)
			.run((context) -> {
				await().until(() -> handled.get() >= 1);
				assertThat(newThreads(before)).anyMatch((name) -> name.startsWith("nsq-"));
				await().until(() -> handled.get() == 40);
				assertThat(newThreads(before)).as("handler threads, for a concurrency of 3 + 2")
					.filteredOn((name) -> name.startsWith("nsq-hygiene"))
					.hasSizeLessThanOrEqualTo(5);
			});
		await().untilAsserted(() -> assertThat(newThreads(before)).as("threads of a container started during the test and still alive")
			.filteredOn((name) -> name.startsWith("nsq-"))
			.allMatch(ThreadHygieneIntegrationTests::isShared));
		assertThat(Thread.getAllStackTraces().keySet()).filteredOn((thread) -> isShared(thread.getName()))
			.as("shared threads never keep the JVM alive")
			.allMatch(Thread::isDaemon);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(newThreads(before)).as("shared threads once idle for their keep-alive")
				.noneMatch((name) -> name.startsWith("nsq-")));

		ScheduledThreadPoolExecutor defaultScheduler = (ScheduledThreadPoolExecutor) field(Client.getDefaultClient(),
				"schedExecutor");
		assertThat(defaultScheduler.getLargestPoolSize()).as("threads ever started by the default client's scheduler").isZero();
		assertThat(field(Client.getDefaultClient(), "handlerExecutor")).as("default client's handler pool").isNull();
	}

	/** The threads every container shares: the client scheduler's timer and task pool. */
	private static boolean isShared(String name) {
		return name.equals("nsq-shared-timer") || name.startsWith("nsq-shared-task-");
	}

	private static Set<String> newThreads(Set<Thread> before) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !before.contains(thread) && thread.isAlive())
			.map(Thread::getName)
			.collect(Collectors.toSet());
	}

	private static Object field(Object target, String name) throws ReflectiveOperationException {
		Field field = Client.class.getDeclaredField(name);
		field.setAccessible(true);
		return field.get(target);
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@NsqListener(topic = "hygiene-a", concurrency = "3")
		void a(String body) throws InterruptedException {
			handled.incrementAndGet();
			Thread.sleep(50);
		}

		@NsqListener(topic = "hygiene-b", concurrency = "2", maxInFlight = "8")
		void b(String body) throws InterruptedException {
			handled.incrementAndGet();
			Thread.sleep(50);
		}

	}

}
