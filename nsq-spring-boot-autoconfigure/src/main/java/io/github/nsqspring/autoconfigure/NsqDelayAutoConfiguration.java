package io.github.nsqspring.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import io.github.nsqspring.actuate.NsqDelayMetrics;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.delay.DelayedMessageObserver;
import io.github.nsqspring.delay.DelayedMessagePoller;
import io.github.nsqspring.delay.NsqDelayedMessages;
import io.github.nsqspring.delay.RedisDelayedMessageStore;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Durable delayed messages ({@link NsqDelayedMessages}) in Redis, when {@code nsq.delay.store=redis}
 * and spring-data-redis is on the classpath: the store on the application's
 * {@link RedisConnectionFactory}, the poller that publishes due messages with the {@link NsqOperations}
 * bean, and their meters when Micrometer is present.
 */
@AutoConfiguration(after = NsqAutoConfiguration.class,
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "nsq.delay.store", havingValue = "redis")
public final class NsqDelayAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisDelayedMessageStore nsqDelayedMessageStore(RedisConnectionFactory redisConnectionFactory,
			NsqProperties properties) {
		return new RedisDelayedMessageStore(redisConnectionFactory, properties.getDelay().getKeyPrefix());
	}

	@Bean
	@ConditionalOnMissingBean
	NsqDelayedMessages nsqDelayedMessages(RedisDelayedMessageStore store, NsqMessageConverter messageConverter,
			NsqProperties properties) {
		NsqDelayedMessages delayedMessages = new NsqDelayedMessages(store, messageConverter,
				properties.getDelay().getMaxDelay(), (int) properties.getProducer().getMaxMessageSize().toBytes(),
				Clock.systemUTC());
		delayedMessages.setEnvelopeTopics(NsqTemplateConfiguration.envelopeTopics(properties));
		return delayedMessages;
	}

	@Bean
	@ConditionalOnMissingBean
	DelayedMessagePoller nsqDelayedMessagePoller(RedisDelayedMessageStore store, NsqOperations operations,
			NsqProperties properties, ObjectProvider<DelayedMessageObserver> observers) {
		NsqProperties.Delay delay = properties.getDelay();
		Duration publishTimeout = properties.getProducer().getTimeout();
		if (delay.getLease().compareTo(publishTimeout.multipliedBy(2)) <= 0) {
			// a claim must outlive its publish, or another instance claims and publishes the same entries
			throw new IllegalStateException("nsq.delay.lease (" + delay.getLease() + ") must be more than twice "
					+ "nsq.producer.timeout (" + publishTimeout + "): a claim must outlive the publish of its entries, "
					+ "or another instance publishes them again");
		}
		DelayedMessagePoller.PollerSettings settings = new DelayedMessagePoller.PollerSettings(delay.getPollInterval(),
				delay.getBatchSize(), delay.getLease());
		return new DelayedMessagePoller(store, operations, settings, properties.getProducer().getMaxBodySize().toBytes(),
				observers.orderedStream().toList(), Clock.systemUTC());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class DelayMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NsqDelayMetrics nsqDelayMetrics(MeterRegistry meterRegistry, RedisDelayedMessageStore store) {
			return new NsqDelayMetrics(meterRegistry, store);
		}

	}

}
