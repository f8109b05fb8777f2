package io.github.nsqspring.delay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqDelayAutoConfiguration;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.RedisServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Application contexts with durable delays on a real Redis and nsqd, and a listener that records arrivals. */
final class DelayTestSupport {

	private DelayTestSupport() {
	}

	/** A context runner for delays stored under {@code keyPrefix}, publishing to {@code nsqd}. */
	static ApplicationContextRunner runner(NsqServer nsqd, RedisServer redis, String keyPrefix) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqDelayAutoConfiguration.class,
					DataRedisAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(), "nsq.delay.store=redis", "nsq.delay.key-prefix=" + keyPrefix,
					"spring.application.name=delay-test");
	}

	/** A started connection factory of its own, for a store outside any application context. */
	static LettuceConnectionFactory connectionFactory(RedisServer redis) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	/** Records each body of topic {@code ${test.topic}} with the time it arrived (epoch millis). */
	@Configuration(proxyBeanMethods = false)
	static class Recorder {

		final Map<String, Long> arrivals = new ConcurrentHashMap<>();

		final AtomicInteger deliveries = new AtomicInteger();

		@NsqListener(topic = "${test.topic}", channel = "recorder", concurrency = "2", maxInFlight = "2500")
		void receive(String body) {
			long now = System.currentTimeMillis();
			this.deliveries.incrementAndGet();
			this.arrivals.put(body, now);
		}

	}

}
