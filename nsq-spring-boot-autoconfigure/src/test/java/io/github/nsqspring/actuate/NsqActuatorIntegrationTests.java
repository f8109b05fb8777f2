package io.github.nsqspring.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqPublishException;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Health, metrics and the nsq endpoint over HTTP, in a web application against a real nsqd. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=actuator-test", "management.endpoints.web.exposure.include=health,metrics,nsq",
				"management.endpoint.health.show-details=always", "nsq.consumer.backoff.initial=100ms",
				// lettuce is on the test classpath for the delay tests; this application has no Redis
				"management.health.redis.enabled=false", "nsq.producer.timeout=1s" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class NsqActuatorIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final AtomicInteger controlledCalls = new AtomicInteger();

	static final CountDownLatch slowStarted = new CountDownLatch(1);

	static final CountDownLatch releaseSlow = new CountDownLatch(1);

	private final HttpClient http = HttpClient.newHttpClient();

	@Value("${local.server.port}")
	int port;

	@Autowired
	NsqOperations nsq;

	@DynamicPropertySource
	static void nsq(DynamicPropertyRegistry registry) {
		nsqd.registerProperties(registry);
		registry.add("nsq.nsqd-http-addresses", nsqd::httpAddress);
	}

	@Test
	@Order(1)
	void healthIsUpWithDetails() throws Exception {
		JsonNode nsq = get("/actuator/health").get("components").get("nsq");
		assertThat(nsq.get("status").asString()).isEqualTo("UP");
		assertThat(nsq.get("details").get("nsqd").get(nsqd.httpAddress()).asString()).isEqualTo("UP");
		assertThat(nsq.get("details").get("listeners").get("metered").get("state").asString()).isEqualTo("RUNNING");
		assertThat(nsq.get("details").get("listeners").get("metered").get("connections").asInt()).isEqualTo(1);
	}

	@Test
	@Order(2)
	void listenerTimerCountsEveryOutcomeWithTags() throws Exception {
		for (int i = 0; i < 100; i++) {
			nsqd.publish("metered", "ok-" + i);
		}
		nsqd.publish("metered", "fail-1");
		nsqd.publish("metered", "fail-2");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(count("nsq.listener", "listener:metered", "result:finished")).isEqualTo(100);
			assertThat(count("nsq.listener", "listener:metered", "result:dead-lettered")).isEqualTo(2);
		});
		assertThat(count("nsq.listener", "listener:metered", "result:requeued")).isEqualTo(2);
		assertThat(count("nsq.listener", "topic:metered", "channel:actuator-test")).isEqualTo(104);
		assertThat(count("nsq.listener.dead.letters", "listener:metered")).isEqualTo(2);
		// observations are off by default: a plain timer with these tags, no observation's error tag or long task timer
		assertThat(tagNames("nsq.listener")).containsExactlyInAnyOrder("listener", "topic", "channel", "result");
		assertThat(status(HttpRequest.newBuilder(uri("/actuator/metrics/nsq.listener.active")).GET())).isEqualTo(404);
		JsonNode inFlight = get("/actuator/metrics/nsq.listener.in.flight?tag=listener:metered");
		assertThat(inFlight.get("measurements").get(0).get("value").asDouble()).isZero();
	}

	@Test
	@Order(2)
	void templateTimerCountsPublishesWithTags() throws Exception {
		for (int i = 0; i < 5; i++) {
			this.nsq.send("template-metered", "m" + i);
		}
		this.nsq.sendBatchAsync("template-metered", List.of("a", "b")).join();
		await().untilAsserted(() -> assertThat(
				count("nsq.template", "topic:template-metered", "operation:send", "result:success")).isEqualTo(5));
		await().untilAsserted(() -> assertThat(
				count("nsq.template", "topic:template-metered", "operation:sendBatchAsync", "result:success")).isEqualTo(1));
		assertThat(nsqd.stats().topic("template-metered").messageCount()).isEqualTo(7);
		assertThat(tagNames("nsq.template")).containsExactlyInAnyOrder("topic", "operation", "result");
	}

	@Test
	@Order(3)
	void endpointListsPausesResumesAndStopsContainers() throws Exception {
		JsonNode containers = get("/actuator/nsq").get("containers");
		assertThat(containers.findValuesAsString("name")).contains("metered", "controlled", "slow");
		nsqd.createChannel("controlled", "actuator-test");

		assertThat(post("/actuator/nsq/controlled", "pause").get("state").asString()).isEqualTo("PAUSED");
		await().untilAsserted(() -> assertThat(nsqd.stats().channel("controlled", "actuator-test").readyCount()).isZero());
		nsqd.publish("controlled", "while paused");
		Thread.sleep(1000);
		assertThat(controlledCalls).hasValue(0);
		assertThat(nsqd.stats().channel("controlled", "actuator-test").depth()).isEqualTo(1);

		assertThat(post("/actuator/nsq/controlled", "resume").get("state").asString()).isEqualTo("RUNNING");
		await().until(() -> controlledCalls.get() == 1);

		JsonNode stopped = post("/actuator/nsq/controlled", "stop");
		assertThat(stopped.get("state").asString()).isEqualTo("STOPPED");
		assertThat(stopped.get("lastDrain").asString()).contains("listener 'controlled' drained");
		await().untilAsserted(() -> assertThat(nsqd.stats().channel("controlled", "actuator-test").clientCount()).isZero());
		assertThat(post("/actuator/nsq/controlled", "start").get("state").asString()).isEqualTo("RUNNING");

		String id = get("/actuator/nsq/controlled").get("id").asString();
		assertThat(get("/actuator/nsq/" + id).get("name").asString()).isEqualTo("controlled");
		assertThat(status(HttpRequest.newBuilder(uri("/actuator/nsq/no-such-listener")).GET())).isEqualTo(404);
		assertThat(status(postRequest("/actuator/nsq/no-such-listener", "pause"))).isEqualTo(404);
		assertThat(status(postRequest("/actuator/nsq/controlled", "explode"))).isEqualTo(400);
		HttpResponse<String> unknownAction = this.http.send(postRequest("/actuator/nsq/controlled", "explode").build(),
				HttpResponse.BodyHandlers.ofString());
		JsonNode error = JSON.readTree(unknownAction.body());
		assertThat(error.get("error").asString()).isEqualTo("Unknown action 'explode'");
		assertThat(error.get("validActions").toString()).isEqualTo("[\"pause\",\"resume\",\"stop\",\"start\"]");
	}

	@Test
	@Order(4)
	void healthIsOutOfServiceWhileAContainerDrains() throws Exception {
		nsqd.publish("slow", "blocks until released");
		assertThat(slowStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
		CompletableFuture<JsonNode> stop = CompletableFuture.supplyAsync(() -> {
			try {
				return post("/actuator/nsq/slow", "stop");
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().untilAsserted(() -> assertThat(healthStatus()).isEqualTo("OUT_OF_SERVICE"));
		releaseSlow.countDown();
		assertThat(stop.get().get("state").asString()).isEqualTo("STOPPED");
		assertThat(nsqd.stats().channel("slow", "actuator-test").timeoutCount()).isZero();
		post("/actuator/nsq/slow", "start");
		await().untilAsserted(() -> assertThat(healthStatus()).isEqualTo("UP"));
	}

	@Test
	@Order(5)
	void healthIsDownWhenNsqdStops() throws Exception {
		nsqd.stop();
		try {
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(healthStatus()).isEqualTo("DOWN"));
			assertThatExceptionOfType(NsqPublishException.class).isThrownBy(() -> this.nsq.send("template-down", "lost?"));
			await().untilAsserted(
					() -> assertThat(count("nsq.template", "topic:template-down", "result:failure")).isEqualTo(1));
		}
		finally {
			nsqd.start();
		}
	}

	private String healthStatus() throws Exception {
		return get("/actuator/health").get("components").get("nsq").get("status").asString();
	}

	private double count(String meter, String... tags) throws Exception {
		StringBuilder path = new StringBuilder("/actuator/metrics/" + meter + "?");
		for (String tag : tags) {
			path.append("tag=").append(tag).append('&');
		}
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path.toString())).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() == 404) {
			return 0;
		}
		for (JsonNode measurement : JSON.readTree(response.body()).get("measurements")) {
			if (measurement.get("statistic").asString().equals("COUNT")) {
				return measurement.get("value").asDouble();
			}
		}
		throw new AssertionError("No COUNT in " + response.body());
	}

	private List<String> tagNames(String meter) throws Exception {
		return get("/actuator/metrics/" + meter).get("availableTags").findValuesAsString("tag");
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		return JSON.readTree(response.body());
	}

	private JsonNode post(String path, String action) throws Exception {
		HttpResponse<String> response = this.http.send(postRequest(path, action).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private HttpRequest.Builder postRequest(String path, String action) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"" + action + "\"}"));
	}

	private int status(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	@SpringBootApplication
	static class App {

		@NsqListener(id = "metered", topic = "metered", maxAttempts = "2", maxInFlight = "20")
		void metered(String body) {
			if (body.startsWith("fail")) {
				throw new IllegalStateException("fails on purpose");
			}
		}

		@NsqListener(id = "controlled", topic = "controlled")
		void controlled(String body) {
			controlledCalls.incrementAndGet();
		}

		@NsqListener(id = "slow", topic = "slow")
		void slow(String body) throws InterruptedException {
			slowStarted.countDown();
			releaseSlow.await();
		}

	}

}
