package io.github.nsqspring.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Fails startup with a message naming the property and the missing dependency when a feature is
 * switched on but its library is not on the classpath, instead of leaving the feature silently off.
 */
@Configuration(proxyBeanMethods = false)
class MissingLibraryConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "nsq.delay.store", havingValue = "redis")
	@ConditionalOnMissingClass("org.springframework.data.redis.connection.RedisConnectionFactory")
	static class DelayWithoutRedis {

		DelayWithoutRedis() {
			throw new IllegalStateException("nsq.delay.store=redis needs spring-data-redis on the classpath "
					+ "(add org.springframework.boot:spring-boot-starter-data-redis)");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(OnArchiveTopicsCondition.class)
	@ConditionalOnMissingClass("org.springframework.jdbc.core.JdbcTemplate")
	static class ArchiveWithoutJdbc {

		ArchiveWithoutJdbc() {
			throw new IllegalStateException("nsq.archive.topics is set but Spring JDBC is not on the classpath "
					+ "(add org.springframework.boot:spring-boot-starter-jdbc and a DataSource)");
		}

	}

}
