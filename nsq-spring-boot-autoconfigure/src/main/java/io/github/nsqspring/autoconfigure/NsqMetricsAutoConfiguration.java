package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.actuate.ChannelBacklogMonitor;
import io.github.nsqspring.actuate.NsqChannelMetrics;
import io.github.nsqspring.actuate.NsqListenerMetrics;
import io.github.nsqspring.actuate.NsqMeterObservationHandler;
import io.github.nsqspring.actuate.NsqObservationMeterFilter;
import io.github.nsqspring.actuate.NsqTemplateMetrics;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;

/**
 * Micrometer meters of the NSQ listeners and the template, when Micrometer is on the classpath and a registry
 * exists. The {@code nsq.listener} and {@code nsq.template} timers are plain timers unless
 * {@code nsq.consumer.observation-enabled} / {@code nsq.producer.observation-enabled} turn on the
 * observations; then {@link NsqMeterObservationHandler} makes them of the observations, with the same tag names.
 * The {@code nsq.channel.*} meters of the listeners' channel backlog ({@link NsqChannelMetrics}) make the
 * {@link ChannelBacklogMonitor} read nsqd's {@code /stats} every {@code nsq.consumer.stats-interval}.
 */
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

	/** The plain {@code nsq.template} timer; it backs off when the template's observations make it. */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(name = "nsq.producer.observation-enabled", havingValue = "false", matchIfMissing = true)
	NsqTemplateMetrics nsqTemplateMetrics(MeterRegistry meterRegistry) {
		return new NsqTemplateMetrics(meterRegistry);
	}

	/**
	 * Registers the template's {@code nsq.template.pending} gauge once every singleton exists (the template
	 * itself depends on the metrics as its publish observer), whether or not the template's observations are on.
	 */
	@Bean
	SmartInitializingSingleton nsqTemplatePendingGauge(MeterRegistry meterRegistry, ObjectProvider<NsqTemplate> template) {
		return () -> template.ifUnique((nsqTemplate) -> NsqTemplateMetrics.bindPending(meterRegistry, nsqTemplate));
	}

	/** The channel backlog meters, and the monitor that reads them from nsqd while the context runs. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(NsqListenerRegistry.class)
	@Import(ChannelBacklogConfiguration.class)
	static class ChannelMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NsqChannelMetrics nsqChannelMetrics(MeterRegistry meterRegistry, ChannelBacklogMonitor monitor) {
			NsqChannelMetrics metrics = new NsqChannelMetrics(meterRegistry);
			monitor.pollContinuously(metrics::register);
			return metrics;
		}

	}

	@Bean
	@ConditionalOnMissingBean
	NsqObservationMeterFilter nsqObservationMeterFilter() {
		return new NsqObservationMeterFilter();
	}

	/** First among the meter handlers, so it takes the NSQ observations before the default one does. */
	@Bean
	@Order(0)
	@ConditionalOnMissingBean
	NsqMeterObservationHandler nsqMeterObservationHandler(MeterRegistry meterRegistry) {
		return new NsqMeterObservationHandler(meterRegistry);
	}

}
