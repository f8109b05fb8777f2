package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqListenerContainerFactoryConfigurer;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The handlers' executor against a real nsqd: the application's {@code nsqListenerTaskExecutor} bean runs them
 * (never more than the concurrency at once, and never shut down by the containers); Boot's virtual-thread
 * switch runs them on virtual threads on Java 21+ and changes nothing on Java 17.
 */
class TaskExecutorIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final List<Thread> handlerThreads = new CopyOnWriteArrayList<>();

	static final Set<Thread> running = ConcurrentHashMap.newKeySet();

	static volatile int mostAtOnce;

	@AfterEach
	void clear() {
		handlerThreads.clear();
		mostAtOnce = 0;
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=executor")
			.withUserConfiguration(Listeners.class);
	}

	@Test
	void applicationsTaskExecutorRunsTheHandlersAtMostConcurrencyAtOnce() {
		nsqd.createChannel("on-executor", "executor");
		ThreadPoolTaskExecutor[] executor = new ThreadPoolTaskExecutor[1];
		runner().withUserConfiguration(ExecutorConfiguration.class).run((context) -> {
			executor[0] = context.getBean(NsqListenerContainerFactoryConfigurer.TASK_EXECUTOR_BEAN_NAME,
					ThreadPoolTaskExecutor.class);
			for (int i = 0; i < 40; i++) {
				nsqd.publish("on-executor", "m" + i);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> handlerThreads.size() == 40);
			assertThat(handlerThreads).allMatch((thread) -> thread.getName().startsWith("app-exec-"));
			assertThat(mostAtOnce).as("handlers at once, with concurrency 2 on a pool of 8").isBetween(1, 2);
			context.getBean(NsqListenerRegistry.class).stop();
			assertThat(executor[0].getThreadPoolExecutor().isShutdown()).as("the application's executor is its own").isFalse();
			await().untilAsserted(() -> assertThat(nsqd.stats().channel("on-executor", "executor").inFlightCount()).isZero());
			assertThat(nsqd.stats().channel("on-executor", "executor").depth()).isZero();
		});
	}

	@Test
	void virtualThreadSwitchRunsTheHandlersOnVirtualThreadsFromJava21() {
		assertHandlersOnVirtualThreadsFromJava21(runner().withPropertyValues("spring.threads.virtual.enabled=true"));
	}

	/** The Java 25 leg of {@code scripts/test.sh} turns the switch on as a system property: the contexts see it. */
	@Test
	@EnabledIfSystemProperty(named = "spring.threads.virtual.enabled", matches = "true")
	void virtualThreadSwitchAsSystemPropertyReachesTheContexts() {
		assertHandlersOnVirtualThreadsFromJava21(runner());
	}

	private void assertHandlersOnVirtualThreadsFromJava21(ApplicationContextRunner runner) {
		nsqd.createChannel("on-virtual", "executor");
		runner.run((context) -> {
			nsqd.publish("on-virtual", "v");
			await().atMost(Duration.ofSeconds(20)).until(() -> !handlerThreads.isEmpty());
			Thread thread = handlerThreads.get(0);
			if (Runtime.version().feature() >= 21) {
				assertThat(isVirtual(thread)).isTrue();
				assertThat(thread.getName()).startsWith("nsq-");
			}
			else {
				// Java 17: the switch does nothing; the container's own pool runs the handler
				assertThat(thread.getName()).startsWith("nsq-on-virtual-");
			}
		});
	}

	private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
		// Thread.isVirtual() exists from Java 21; this module compiles for 17
		return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
	}

	@Configuration(proxyBeanMethods = false)
	static class ExecutorConfiguration {

		@Bean(NsqListenerContainerFactoryConfigurer.TASK_EXECUTOR_BEAN_NAME)
		Executor nsqListenerTaskExecutor() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(8);
			executor.setThreadNamePrefix("app-exec-");
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@NsqListener(id = "on-executor", topic = "on-executor", concurrency = "2", maxInFlight = "10")
		void onExecutor(String body) throws InterruptedException {
			record();
			Thread.sleep(20);
			running.remove(Thread.currentThread());
		}

		@NsqListener(id = "on-virtual", topic = "on-virtual")
		void onVirtual(String body) {
			record();
			running.remove(Thread.currentThread());
		}

		private static void record() {
			handlerThreads.add(Thread.currentThread());
			running.add(Thread.currentThread());
			synchronized (TaskExecutorIntegrationTests.class) {
				mostAtOnce = Math.max(mostAtOnce, running.size());
			}
		}

	}

}
