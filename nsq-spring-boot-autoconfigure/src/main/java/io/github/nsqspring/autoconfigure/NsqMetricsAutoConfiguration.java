package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.actuate.NsqListenerMetrics;
import io.github.nsqspring.actuate.NsqTemplateMetrics;
import io.github.nsqspring.core.NsqTemplate;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Micrometer meters of the NSQ listeners and the template, when Micrometer is on the classpath and a registry exists. */
@AutoConfiguration(after = NsqAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class NsqMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	NsqListenerMetrics nsqListenerMetrics(MeterRegistry meterRegistry) {
		return new NsqListenerMetrics(meterRegistry);
	}

	@Bean
	@ConditionalOnMissingBean
	NsqTemplateMetrics nsqTemplateMetrics(MeterRegistry meterRegistry) {
		return new NsqTemplateMetrics(meterRegistry);
	}

	/**
	 * Registers the template's {@code nsq.template.pending} gauge once every singleton exists (the template
	 * itself depends on the metrics as its publish observer).
	 */
	@Bean
	SmartInitializingSingleton nsqTemplatePendingGauge(ObjectProvider<NsqTemplateMetrics> metrics,
			ObjectProvider<NsqTemplate> template) {
		return () -> metrics.ifUnique((templateMetrics) -> template.ifUnique(templateMetrics::bindPending));
	}

}
