package io.github.nsqspring.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.nsqspring.actuate.NsqHealthIndicator;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The health check pings nsqd over HTTPS when its HTTP address says https://, with the nsq.ssl bundle. */
class NsqHealthTlsTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withTls(NsqServerTls.required());

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NsqAutoConfiguration.class,
				NsqHealthContributorAutoConfiguration.class))
		.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress());

	private String[] bundle() {
		return nsqd.certificates()
			.bundleProperties("nsq", null)
			.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
	}

	@Test
	void httpsAddressIsPingedWithTheBundle() {
		String https = "https://" + nsqd.httpAddress();
		this.runner.withPropertyValues(bundle())
			.withPropertyValues("nsq.ssl.bundle=nsq", "nsq.nsqd-http-addresses=" + https)
			.run((context) -> {
				Health health = context.getBean(NsqHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(((Map<?, ?>) health.getDetails().get("nsqd")).get(https)).isEqualTo("UP");
			});
	}

	@Test
	void untrustedHttpsIsDown() {
		String https = "https://" + nsqd.httpAddress();
		this.runner.withPropertyValues("nsq.nsqd-http-addresses=" + https).run((context) -> {
			Health health = context.getBean(NsqHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(((Map<?, ?>) health.getDetails().get("nsqd")).get(https).toString()).startsWith("DOWN: SSLHandshakeException");
		});
	}

	@Test
	void plainHttpToAnHttpsPortIsDown() {
		this.runner.withPropertyValues(bundle())
			.withPropertyValues("nsq.ssl.bundle=nsq", "nsq.nsqd-http-addresses=" + nsqd.httpAddress())
			.run((context) -> assertThat(context.getBean(NsqHealthIndicator.class).health(true).getStatus())
				.isEqualTo(Status.DOWN));
	}

	@Test
	void otherSchemesAreRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new NsqProperties().setNsqdHttpAddresses(List.of("ftp://127.0.0.1:4151")))
			.withMessageContaining("nsq.nsqd-http-addresses")
			.withMessageContaining("http:// or https://");
	}

}
