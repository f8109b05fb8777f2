package io.github.nsqspring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Auto-configuration of the NSQ starter: binds {@link NsqProperties}.
 */
@AutoConfiguration
@EnableConfigurationProperties(NsqProperties.class)
public class NsqAutoConfiguration {

}
