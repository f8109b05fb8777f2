package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.actuate.ChannelBacklogMonitor;
import io.github.nsqspring.actuate.NsqAuthSecretSanitizer;
import io.github.nsqspring.actuate.NsqEndpoint;
import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The {@code nsq} actuator endpoint, when the actuator is on the classpath and the endpoint is exposed,
 * and the {@link NsqAuthSecretSanitizer} that keeps {@code nsq.auth-secret} out of {@code /actuator/env}
 * and {@code /actuator/configprops}. The endpoint shows each listener's channel backlog, read from nsqd when
 * it is asked (at most once per {@code nsq.consumer.stats-interval}) unless the meters read it anyway.
 */
@AutoConfiguration(after = NsqAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class NsqEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NsqAuthSecretSanitizer nsqAuthSecretSanitizer() {
		return new NsqAuthSecretSanitizer();
	}

	@Bean
	@ConditionalOnAvailableEndpoint(NsqEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnBean(NsqListenerRegistry.class)
	NsqEndpoint nsqEndpoint(NsqListenerRegistry registry, ObjectProvider<ChannelBacklogMonitor> backlog) {
		return new NsqEndpoint(registry, backlog.getIfAvailable());
	}

	/** The channel backlog monitor of the endpoint. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAvailableEndpoint(NsqEndpoint.class)
	@ConditionalOnBean(NsqListenerRegistry.class)
	@Import(ChannelBacklogConfiguration.class)
	static class EndpointBacklogConfiguration {

	}

}
