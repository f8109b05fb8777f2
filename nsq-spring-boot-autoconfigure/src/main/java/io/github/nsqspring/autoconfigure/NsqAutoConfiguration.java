package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.core.JacksonNsqMessageConverter;
import io.github.nsqspring.core.NsqMessageConverter;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the NSQ starter: binds {@link NsqProperties} and provides the payload
 * converter, backed by the application's Jackson {@link JsonMapper} when it has one.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(NsqProperties.class)
@Import(NsqTemplateConfiguration.class)
public class NsqAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JsonMapper.class)
	static class JacksonMessageConverterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NsqMessageConverter nsqMessageConverter(ObjectProvider<JsonMapper> jsonMapper) {
			return new JacksonNsqMessageConverter(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()));
		}

	}

}
