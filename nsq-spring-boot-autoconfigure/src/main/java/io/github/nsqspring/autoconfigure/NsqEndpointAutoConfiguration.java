package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.actuate.NsqAuthSecretSanitizer;
import io.github.nsqspring.actuate.NsqEndpoint;
import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code nsq} actuator endpoint, when the actuator is on the classpath and the endpoint is exposed,
 * and the {@link NsqAuthSecretSanitizer} that keeps {@code nsq.auth-secret} out of {@code /actuator/env}
 * and {@code /actuator/configprops}.
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
	NsqEndpoint nsqEndpoint(NsqListenerRegistry registry) {
		return new NsqEndpoint(registry);
	}

}
