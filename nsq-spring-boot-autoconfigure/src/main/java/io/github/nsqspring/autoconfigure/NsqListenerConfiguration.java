package io.github.nsqspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

import io.github.nsqspring.annotation.NsqListenerAnnotationBeanPostProcessor;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.MessageObserver;
import io.github.nsqspring.listener.NsqDeadLetterHandler;
import io.github.nsqspring.listener.NsqErrorHandler;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.listener.event.NsqListenerContainerEventPublisher;
import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.github.nsqspring.support.SnowflakeIdGenerator;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The {@code @NsqListener} infrastructure: post-processor, registry, and the default container factory
 * {@code nsqListenerContainerFactory} (configured from {@code nsq.*}, with the
 * {@link NsqListenerContainerCustomizer} beans) unless the application defines a bean of that name; other
 * factory beans serve listeners that name them in {@code containerFactory}.
 */
@Configuration(proxyBeanMethods = false)
class NsqListenerConfiguration {

	private static final Duration DEFAULT_PHASE_TIMEOUT = Duration.ofSeconds(30);

	@Bean(name = NsqListenerAnnotationBeanPostProcessor.BEAN_NAME)
	@ConditionalOnMissingBean(name = NsqListenerAnnotationBeanPostProcessor.BEAN_NAME)
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static NsqListenerAnnotationBeanPostProcessor nsqListenerAnnotationBeanPostProcessor() {
		return new NsqListenerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	SnowflakeIdGenerator nsqSnowflakeIdGenerator(NsqProperties properties) {
		Integer workerId = properties.getConsumer().getWorkerId();
		return (workerId != null) ? new SnowflakeIdGenerator(workerId) : new SnowflakeIdGenerator();
	}

	@Bean
	@ConditionalOnMissingBean
	NsqListenerRegistry nsqListenerRegistry(SnowflakeIdGenerator nsqSnowflakeIdGenerator, NsqProperties properties,
			ApplicationEventPublisher applicationEventPublisher) {
		NsqListenerRegistry registry = new NsqListenerRegistry(nsqSnowflakeIdGenerator);
		registry.setStartupFailurePolicy(properties.getConsumer().getStartupFailure());
		registry.setStartupTimeout(properties.getConsumer().getStartupTimeout());
		registry.setContainerEvents(new NsqListenerContainerEventPublisher(applicationEventPublisher));
		return registry;
	}

	@Bean
	@ConditionalOnMissingBean
	NsqListenerContainerFactoryConfigurer nsqListenerContainerFactoryConfigurer(NsqProperties properties,
			NsqConnectionDetails connectionDetails, Environment environment,
			ObjectProvider<NsqDeadLetterHandler> deadLetterHandler, ObjectProvider<NsqOperations> operations,
			ObjectProvider<MessageObserver> messageObservers, ObjectProvider<NsqTls> tls,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<NsqListenerObservationConvention> observationConvention,
			ObjectProvider<NsqErrorHandler> errorHandler,
			@Qualifier(NsqListenerContainerFactoryConfigurer.TASK_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> taskExecutor,
			ApplicationEventPublisher applicationEventPublisher) {
		NsqListenerContainerFactoryConfigurer configurer = new NsqListenerContainerFactoryConfigurer(properties,
				connectionDetails, environment.getProperty("spring.application.name"), deadLetterHandler.getIfAvailable(),
				operations.getIfUnique(), messageObservers.orderedStream().toList(), tls.getIfAvailable(),
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP), observationConvention.getIfUnique());
		configurer.setErrorHandler(errorHandler.getIfUnique());
		configurer.setTaskExecutor(taskExecutor.getIfAvailable(() -> virtualThreads(environment)));
		configurer.setContainerEvents(new NsqListenerContainerEventPublisher(applicationEventPublisher));
		return configurer;
	}

	/** Boot's virtual-thread switch, as for Kafka and Rabbit listeners: on Java 21+ with {@code spring.threads.virtual.enabled}. */
	private static @Nullable Executor virtualThreads(Environment environment) {
		if (!Threading.VIRTUAL.isActive(environment)) {
			return null;
		}
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("nsq-");
		executor.setVirtualThreads(true);
		return executor;
	}

	@Bean(name = NsqListenerAnnotationBeanPostProcessor.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	@ConditionalOnMissingBean(name = NsqListenerAnnotationBeanPostProcessor.DEFAULT_CONTAINER_FACTORY_BEAN_NAME)
	NsqListenerContainerFactory nsqListenerContainerFactory(NsqListenerContainerFactoryConfigurer configurer,
			ObjectProvider<NsqListenerContainerCustomizer> customizers) {
		NsqListenerContainerFactory factory = new NsqListenerContainerFactory();
		configurer.configure(factory);
		List<NsqListenerContainerCustomizer> ordered = customizers.orderedStream().toList();
		factory.setContainerCustomizer((container) -> ordered.forEach((customizer) -> customizer.customize(container)));
		return factory;
	}

	@Bean
	ShutdownPhaseTimeoutCheck nsqShutdownPhaseTimeoutCheck(NsqProperties properties, Environment environment) {
		Duration phaseTimeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_PHASE_TIMEOUT);
		Duration shutdownTimeout = properties.getConsumer().getShutdownTimeout();
		return new ShutdownPhaseTimeoutCheck(
				(shutdownTimeout != null) ? shutdownTimeout : ContainerProperties.DEFAULT_SHUTDOWN_TIMEOUT, phaseTimeout);
	}

}
