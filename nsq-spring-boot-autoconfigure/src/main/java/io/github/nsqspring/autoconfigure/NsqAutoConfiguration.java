package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.core.JacksonNsqMessageConverter;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.core.SimpleNsqMessageConverter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the NSQ starter: binds {@link NsqProperties}, provides the
 * {@link NsqConnectionDetails} from them (unless the application defines its own), the payload converter
 * (backed by the application's Jackson {@link JsonMapper} when it has one), TLS from {@code nsq.ssl.*},
 * the template and the {@code @NsqListener} infrastructure.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration" })
@EnableConfigurationProperties(NsqProperties.class)
@Import({ NsqSslConfiguration.class, NsqTemplateConfiguration.class, NsqListenerConfiguration.class,
		MissingLibraryConfiguration.class })
public final class NsqAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(NsqConnectionDetails.class)
	PropertiesNsqConnectionDetails nsqConnectionDetails(NsqProperties properties) {
		return new PropertiesNsqConnectionDetails(properties);
	}

	@Bean
	static UnknownPropertiesCheck nsqUnknownPropertiesCheck(Environment environment) {
		return new UnknownPropertiesCheck(environment);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JacksonMessageConverterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NsqMessageConverter nsqMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
			return new JacksonNsqMessageConverter(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("tools.jackson.databind.json.JsonMapper")
	static class SimpleMessageConverterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NsqMessageConverter nsqMessageConverter() {
			return new SimpleNsqMessageConverter();
		}

	}

}
