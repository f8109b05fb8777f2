package io.github.nsqspring.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqPublishException;
import io.github.nsqspring.test.NsqAuthServer;
import io.github.nsqspring.test.NsqAuthServer.Authorization;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code nsq.auth-secret} stays out of the logs (at DEBUG), exception messages and the actuator, even with
 * {@code show-values=always}, in a web application publishing over TLS with AUTH to a real nsqd.
 */
@SpringBootTest(classes = NsqSecretExposureIntegrationTests.App.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "nsq.auth-secret=" + NsqSecretExposureIntegrationTests.SECRET, "nsq.ssl.bundle=nsq",
				"logging.level.io.github.nsqspring=debug", "logging.level.org.springframework.boot.ssl=debug",
				"management.endpoints.web.exposure.include=env,configprops,nsq,health",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
				"management.endpoint.health.show-details=always", "management.health.redis.enabled=false",
				"nsq.producer.timeout=2s" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class NsqSecretExposureIntegrationTests {

	static final String SECRET = "auth-secret-7f3c9a";

	@RegisterExtension
	static NsqAuthServer auth = NsqAuthServer.create().allow(SECRET, "exposure-test", Authorization.publish("allowed"));

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withTls(NsqServerTls.required(), auth.nsqdArgument());

	private final HttpClient http = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	int port;

	@Autowired
	NsqOperations nsq;

	@DynamicPropertySource
	static void nsq(DynamicPropertyRegistry registry) {
		nsqd.registerProperties(registry);
		registry.add("nsq.nsqd-http-addresses", () -> "https://" + nsqd.httpAddress());
		nsqd.certificates().bundleProperties("nsq", null).forEach((key, value) -> registry.add(key, () -> value));
	}

	@Test
	void secretIsInNoLogLineExceptionOrEndpoint(CapturedOutput output) throws Exception {
		this.nsq.send("allowed", "published with AUTH");
		assertThat(nsqd.stats().topic("allowed").messageCount()).isEqualTo(1);
		assertThatExceptionOfType(NsqPublishException.class).isThrownBy(() -> this.nsq.send("forbidden", "x"))
			.withMessageContaining("E_UNAUTHORIZED")
			.withMessageNotContaining(SECRET);

		String envEntry = get("/actuator/env/nsq.auth-secret");
		assertThat(envEntry).contains("\"value\":\"******\"");
		assertThat(get("/actuator/env/nsq.ssl.bundle")).as("other values are shown").contains("\"value\":\"nsq\"");
		assertThat(get("/actuator/configprops/nsq")).contains("\"authSecret\":\"******\"");
		for (String path : new String[] { "/actuator/env", "/actuator/configprops", "/actuator/nsq", "/actuator/health" }) {
			assertThat(get(path)).as(path).doesNotContain(SECRET);
		}
		assertThat(output).as("DEBUG logging of the handshake is captured")
			.contains("Authenticated to nsqd " + nsqd.tcpAddress() + " as 'exposure-test'")
			.doesNotContain(SECRET);
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
