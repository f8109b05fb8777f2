package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.actuate.NsqEndpoint;
import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code nsq} actuator endpoint, when the actuator is on the classpath and the endpoint is exposed. */
@AutoConfiguration(after = NsqAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
public final class NsqEndpointAutoConfiguration {

	@Bean
	@ConditionalOnAvailableEndpoint(NsqEndpoint.class)
	@ConditionalOnMissingBean
	@ConditionalOnBean(NsqListenerRegistry.class)
	NsqEndpoint nsqEndpoint(NsqListenerRegistry registry) {
		return new NsqEndpoint(registry);
	}

}
