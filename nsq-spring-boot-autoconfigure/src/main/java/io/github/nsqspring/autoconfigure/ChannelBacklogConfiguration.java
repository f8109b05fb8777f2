package io.github.nsqspring.autoconfigure;

import java.time.Duration;

import io.github.nsqspring.actuate.ChannelBacklogMonitor;
import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.core.NsqdStatsReader;
import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link ChannelBacklogMonitor} that the {@code nsq.channel.*} meters and the {@code nsq} endpoint
 * share; imported by their auto-configurations, so it exists only when one of them does. Each of its
 * requests waits at most the stats interval, between 1s and 5s.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBean(NsqListenerRegistry.class)
class ChannelBacklogConfiguration {

	private static final Duration MIN_REQUEST_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(5);

	@Bean
	@ConditionalOnMissingBean
	ChannelBacklogMonitor nsqChannelBacklogMonitor(NsqListenerRegistry registry, NsqProperties properties,
			NsqConnectionDetails connectionDetails, ObjectProvider<NsqTls> tls) {
		Duration interval = properties.getConsumer().getStatsInterval();
		NsqdStatsReader reader = new NsqdStatsReader(requestTimeout(interval), tls.getIfAvailable());
		return new ChannelBacklogMonitor(registry, reader, connectionDetails.getNsqdAddresses(),
				connectionDetails.getNsqdHttpAddresses(), interval);
	}

	private static Duration requestTimeout(Duration interval) {
		if (interval.compareTo(MIN_REQUEST_TIMEOUT) < 0) {
			return MIN_REQUEST_TIMEOUT;
		}
		return (interval.compareTo(MAX_REQUEST_TIMEOUT) > 0) ? MAX_REQUEST_TIMEOUT : interval;
	}

}
