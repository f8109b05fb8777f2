package io.github.nsqspring.autoconfigure;

import java.nio.file.Path;

import io.github.nsqspring.core.NsqSecurity;
import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.test.NsqTlsCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nsq.ssl.*} and {@code nsq.auth-secret} in the auto-configuration. */
class NsqSslAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NsqAutoConfiguration.class));

	@Test
	void noTlsByDefault() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(NsqTls.class));
	}

	@Test
	void emptyBundleNameLeavesTlsOff() {
		this.runner.withPropertyValues("nsq.ssl.bundle=")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(NsqTls.class));
	}

	@Test
	void enabledWithoutBundleUsesTheJvmDefaultAndVerifiesHostnames() {
		this.runner.withPropertyValues("nsq.ssl.enabled=true").run((context) -> {
			NsqTls tls = context.getBean(NsqTls.class);
			assertThat(tls.verifiesHostname()).isTrue();
			assertThat(tls.sslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
			assertThat(tls.sslContext()).isSameAs(javax.net.ssl.SSLContext.getDefault());
		});
	}

	@Test
	void bundleEnablesTlsWithItsContext(@TempDir Path directory) {
		NsqTlsCertificates certificates = NsqTlsCertificates.create(directory, "authority");
		this.runner.withPropertyValues(certificates.bundleProperties("nsq", certificates.issue("client", "client"))
			.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new))
			.withPropertyValues("nsq.ssl.bundle=nsq", "nsq.ssl.verify-hostname=false",
					"spring.ssl.bundle.pem.nsq.options.enabled-protocols=TLSv1.3")
			.run((context) -> {
				NsqTls tls = context.getBean(NsqTls.class);
				assertThat(tls.verifiesHostname()).isFalse();
				assertThat(tls.sslParameters().getEndpointIdentificationAlgorithm()).isNull();
				assertThat(tls.sslParameters().getProtocols()).containsExactly("TLSv1.3");
				assertThat(tls.sslContext()).isNotSameAs(javax.net.ssl.SSLContext.getDefault());
			});
	}

	@Test
	void unknownBundleFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("nsq.ssl.bundle=missing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("nsq.ssl.bundle")
				.hasMessageContaining("missing")
				.hasMessageContaining("spring.ssl.bundle.pem.missing"));
	}

	@Test
	void listenerContainersGetTheTlsAndTheSecret() {
		this.runner.withPropertyValues("nsq.ssl.enabled=true", "nsq.auth-secret=hidden-value").run((context) -> {
			NsqSecurity security = context.getBean(NsqListenerContainerFactory.class)
				.createContainer(1, "secured-topic", "c", (properties) -> {
				}, (message) -> {
				})
				.getContainerProperties()
				.getSecurity();
			assertThat(security.tls()).isSameAs(context.getBean(NsqTls.class));
			assertThat(security.authSecret()).isEqualTo("hidden-value");
		});
	}

	@Test
	void listenerContainersArePlainWithoutTlsOrSecret() {
		this.runner.run((context) -> assertThat(context.getBean(NsqListenerContainerFactory.class)
			.createContainer(1, "plain-topic", "c", (properties) -> {
			}, (message) -> {
			})
			.getContainerProperties()
			.getSecurity()).isEqualTo(NsqSecurity.NONE));
	}

	@Test
	void templateOnlyApplicationsStartWithTlsAndAuth() {
		this.runner.withPropertyValues("nsq.ssl.enabled=true", "nsq.auth-secret=hidden-value")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(NsqTls.class));
	}

}
