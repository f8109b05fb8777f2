package io.github.nsqspring.autoconfigure;

import java.time.Duration;

import io.github.nsqspring.actuate.NsqHealthIndicator;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code nsq} health indicator, when Spring Boot's health support is on the classpath and
 * {@code management.health.nsq.enabled} is not false: it checks the addresses of the
 * {@link NsqConnectionDetails}; HTTPS addresses of nsqd use the {@link NsqTls} bean.
 */
@AutoConfiguration(after = NsqAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
public final class NsqHealthContributorAutoConfiguration {

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

	@Bean
	@ConditionalOnEnabledHealthIndicator("nsq")
	@ConditionalOnMissingBean(name = "nsqHealthIndicator")
	NsqHealthIndicator nsqHealthIndicator(NsqConnectionDetails connectionDetails,
			ObjectProvider<NsqListenerRegistry> registry, ObjectProvider<NsqTemplate> template, ObjectProvider<NsqTls> tls) {
		NsqTemplate ownTemplate = template.getIfUnique();
		return new NsqHealthIndicator(registry.getIfAvailable(), connectionDetails.getNsqdHttpAddresses(),
				connectionDetails.getLookupdAddresses(), (ownTemplate != null) ? ownTemplate::hasPublished : () -> false, REQUEST_TIMEOUT,
				tls.getIfAvailable());
	}

}
