package io.github.nsqspring.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.Semaphore;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The channel backlog as an operator reads it, through a real web server: Prometheus' scrape at
 * {@code /actuator/prometheus} and the {@code nsq} endpoint, against a real nsqd.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=backlog-web", "management.endpoints.web.exposure.include=prometheus,nsq",
				"nsq.consumer.stats-interval=200ms", "nsq.consumer.shutdown-timeout=1s",
				// lettuce is on the test classpath for the delay tests; this application has no Redis
				"management.health.redis.enabled=false" })
@DirtiesContext
class ChannelBacklogPrometheusIntegrationTests {

	private static final String TAGS = "{channel=\"backlog-web\",listener=\"web\",topic=\"backlog-web\"}";

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final Semaphore permits = new Semaphore(0);

	private final HttpClient http = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	int port;

	@DynamicPropertySource
	static void nsq(DynamicPropertyRegistry registry) {
		nsqd.registerProperties(registry);
		registry.add("nsq.nsqd-http-addresses", nsqd::httpAddress);
	}

	@AfterAll
	static void release() {
		permits.release(1000);
	}

	@Test
	void prometheusScrapeShowsTheBacklogAndTheEndpointEachNsqdsPart() throws Exception {
		nsqd.publishBatch("backlog-web", List.of("1", "2", "3", "4", "5"));
		// one message waits at the blocked handler, four on nsqd
		await().untilAsserted(() -> {
			assertThat(nsqd.stats().channel("backlog-web", "backlog-web").depth()).isEqualTo(4);
			assertThat(get("/actuator/prometheus")).contains("nsq_channel_depth" + TAGS + " 4.0");
		});
		assertThat(get("/actuator/prometheus")).contains("nsq_channel_in_flight" + TAGS + " 1.0", "nsq_channel_deferred" + TAGS + " 0.0",
				"nsq_channel_requeued_total" + TAGS + " 0.0", "nsq_channel_timed_out_total" + TAGS + " 0.0",
				"# TYPE nsq_channel_depth gauge", "# TYPE nsq_channel_requeued_total counter");

		JsonNode backlog = JsonMapper.builder().build().readTree(get("/actuator/nsq/web")).get("backlog");
		assertThat(backlog.get("depth").asLong()).isEqualTo(4);
		assertThat(backlog.get("inFlight").asLong()).isEqualTo(1);
		JsonNode ofNsqd = backlog.get("nsqd").get(nsqd.httpAddress());
		assertThat(ofNsqd.get("depth").asLong()).isEqualTo(4);
		assertThat(ofNsqd.get("inFlight").asLong()).isEqualTo(1);
		assertThat(ofNsqd.get("clients").asInt()).isEqualTo(1);

		permits.release(4);
		await().untilAsserted(() -> assertThat(get("/actuator/prometheus")).contains("nsq_channel_depth" + TAGS + " 0.0"));
	}

	private String get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

	@SpringBootApplication
	static class App {

		@NsqListener(id = "web", topic = "backlog-web")
		void onMessage(String body) throws InterruptedException {
			permits.acquire();
		}

	}

}
