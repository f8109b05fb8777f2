package io.github.nsqspring.autoconfigure;

import io.github.nsqspring.core.NsqTls;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * The {@link NsqTls} of every connection to nsqd when {@code nsq.ssl.enabled=true} or
 * {@code nsq.ssl.bundle} names a Spring SSL bundle ({@code spring.ssl.bundle.pem.*} or {@code .jks.*});
 * without a bundle, the JVM's default trust store. A bundle that does not exist fails startup naming
 * {@code nsq.ssl.bundle}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(OnNsqSslCondition.class)
class NsqSslConfiguration {

	private static final String BUNDLE_PROPERTY = "nsq.ssl.bundle";

	@Bean
	@ConditionalOnMissingBean
	NsqTls nsqTls(NsqProperties properties, ObjectProvider<SslBundles> sslBundles) {
		NsqProperties.Ssl ssl = properties.getSsl();
		String name = ssl.getBundle();
		if (!StringUtils.hasText(name)) {
			return NsqTls.jvmDefault(ssl.isVerifyHostname());
		}
		SslBundles bundles = sslBundles.getIfAvailable();
		if (bundles == null) {
			throw new InvalidConfigurationPropertyValueException(BUNDLE_PROPERTY, name,
					"There is no SslBundles bean (Spring Boot's SslAutoConfiguration is not active)");
		}
		SslBundle bundle;
		try {
			bundle = bundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException(BUNDLE_PROPERTY, name,
					"No SSL bundle '" + name + "' is configured: define spring.ssl.bundle.pem." + name
							+ ".* or spring.ssl.bundle.jks." + name + ".*");
		}
		return new NsqTls(bundle.createSslContext(), ssl.isVerifyHostname(), bundle.getOptions().getEnabledProtocols(),
				bundle.getOptions().getCiphers());
	}

}
