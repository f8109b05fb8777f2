package io.github.nsqspring.docs.snippets;

import java.time.Duration;

import io.github.nsqspring.autoconfigure.NsqListenerContainerFactoryConfigurer;
import io.github.nsqspring.listener.NsqErrorHandler;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** docs/error-handling.md. */
final class ErrorHandlingSnippets {

	private ErrorHandlingSnippets() {
	}

	// tag::error-handler-bean[]
	@Configuration
	class NsqErrors {

		/** Bad input is parked at once; a flaky downstream is retried every 100 ms, then parked after 10 tries. */
		@Bean
		NsqErrorHandler nsqErrorHandler() {
			return (message, failure, attempt) -> {
				if (failure instanceof IllegalArgumentException) {
					return NsqErrorHandler.Decision.deadLetter();
				}
				return (attempt < 10) ? NsqErrorHandler.Decision.requeue(Duration.ofMillis(100))
						: NsqErrorHandler.Decision.deadLetter();
			};
		}

	}
	// end::error-handler-bean[]

	class Executors {

		// tag::task-executor-bean[]
		@Bean(NsqListenerContainerFactoryConfigurer.TASK_EXECUTOR_BEAN_NAME) // "nsqListenerTaskExecutor"
		ThreadPoolTaskExecutor nsqListenerTaskExecutor() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(16);
			executor.setThreadNamePrefix("orders-");
			executor.setAcceptTasksAfterContextClose(true);   // handlers may run while the listeners drain
			return executor;
		}
		// end::task-executor-bean[]

	}

}
