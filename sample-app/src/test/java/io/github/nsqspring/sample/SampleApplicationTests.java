package io.github.nsqspring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sample end to end against a real nsqd: REST → orders → four channels (one a batch listener writing to the database) → shipments. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@DynamicPropertySource
	static void nsq(DynamicPropertyRegistry registry) {
		nsqd.registerProperties(registry);
		registry.add("nsq.nsqd-http-addresses", nsqd::httpAddress);
	}

	@Value("${local.server.port}")
	int port;

	@Autowired
	JdbcTemplate jdbc;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void ordersFlowThroughEveryListener() throws Exception {
		assertThat(post("/orders", "{\"id\":\"o-1\",\"customer\":\"alice\",\"amount\":10}")).isEqualTo(200);
		assertThat(post("/orders/batch", "[{\"id\":\"o-2\",\"customer\":\"bob\",\"amount\":20},"
				+ "{\"id\":\"o-3\",\"customer\":\"mallory\",\"amount\":50000}]")).isEqualTo(200);
		assertThat(post("/orders/deferred?delay=1s", "{\"id\":\"o-4\",\"customer\":\"carol\",\"amount\":40}")).isEqualTo(200);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			var stats = nsqd.stats();
			assertThat(stats.topic("orders").messageCount()).isEqualTo(4);
			for (String channel : new String[] { "billing", "shipping", "audit", "ledger" }) {
				assertThat(stats.channel("orders", channel).depth()).as(channel).isZero();
				assertThat(stats.channel("orders", channel).inFlightCount()).as(channel).isZero();
				assertThat(stats.channel("orders", channel).deferredCount()).as(channel).isZero();
			}
			assertThat(stats.topic("shipments").messageCount()).isEqualTo(4);
			assertThat(stats.channel("shipments", "tracking").depth()).isZero();
			assertThat(stats.topic("orders.dead").messageCount()).as("o-3 dead-lettered by audit").isEqualTo(1);
			assertThat(stats.channel("orders.dead", "ops").depth()).isZero();
			assertThat(this.jdbc.queryForList("select id from order_ledger order by id", String.class))
				.as("the ledger's batch listener").containsExactly("o-1", "o-2", "o-3", "o-4");
		});
		String health = this.http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		assertThat(JsonMapper.builder().build().readTree(health).at("/components/nsq/status").asString()).isEqualTo("UP");
	}

	private int post(String path, String json) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
