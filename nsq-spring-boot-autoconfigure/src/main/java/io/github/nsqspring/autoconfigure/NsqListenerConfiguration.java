package io.github.nsqspring.autoconfigure;

import java.time.Duration;

import io.github.nsqspring.annotation.NsqListenerAnnotationBeanPostProcessor;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.MessageObserver;
import io.github.nsqspring.listener.NsqDeadLetterHandler;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.github.nsqspring.support.SnowflakeIdGenerator;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/** The {@code @NsqListener} infrastructure: post-processor, registry, container factory. */
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
	NsqListenerRegistry nsqListenerRegistry(SnowflakeIdGenerator nsqSnowflakeIdGenerator) {
		return new NsqListenerRegistry(nsqSnowflakeIdGenerator);
	}

	@Bean
	@ConditionalOnMissingBean
	NsqListenerContainerFactoryConfigurer nsqListenerContainerFactoryConfigurer(NsqProperties properties,
			Environment environment, ObjectProvider<NsqDeadLetterHandler> deadLetterHandler,
			ObjectProvider<NsqOperations> operations, ObjectProvider<MessageObserver> messageObservers,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<NsqListenerObservationConvention> observationConvention) {
		return new NsqListenerContainerFactoryConfigurer(properties, environment.getProperty("spring.application.name"),
				deadLetterHandler.getIfAvailable(), operations.getIfUnique(), messageObservers.orderedStream().toList(),
				observationRegistry.getIfUnique(() -> ObservationRegistry.NOOP), observationConvention.getIfUnique());
	}

	@Bean
	@ConditionalOnMissingBean
	NsqListenerContainerFactory nsqListenerContainerFactory(NsqListenerContainerFactoryConfigurer configurer) {
		NsqListenerContainerFactory factory = new NsqListenerContainerFactory();
		configurer.configure(factory);
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
