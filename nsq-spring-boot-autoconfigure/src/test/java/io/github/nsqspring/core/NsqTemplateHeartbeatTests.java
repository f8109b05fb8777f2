package io.github.nsqspring.core;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.support.NsqVersion;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An idle publisher connection stays open because the template answers nsqd's heartbeats (nsqd closes
 * a connection that sends nothing for two heartbeat intervals).
 */
class NsqTemplateHeartbeatTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final NsqTemplate template = TestTemplates.started(List.of(nsqd.tcpAddress()), 1, Duration.ofSeconds(2),
			Duration.ofMinutes(1), Duration.ofSeconds(1));

	@AfterEach
	void stopTemplate() {
		this.template.stop();
	}

	@Test
	void idleConnectionSurvivesSeveralHeartbeatIntervals() throws Exception {
		this.template.send("heartbeat", "first");
		List<String> connection = producerConnections();
		assertThat(connection).hasSize(1);

		await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(5))
			.until(() -> producerConnections().equals(connection));

		this.template.send("heartbeat", "second");
		assertThat(producerConnections()).isEqualTo(connection);
		assertThat(nsqd.stats().topic("heartbeat").messageCount()).isEqualTo(2);
	}

	@Test
	void idleConnectionToAnNsqdThatSendsNothingIsReplaced() throws Exception {
		this.template.send("silent", "first");
		List<String> connection = producerConnections();
		assertThat(tcpState(connection)).isEqualTo("01");
		nsqd.freeze();
		try {
			// closed by this side after two heartbeat intervals of silence (plus a watchdog period)
			await().atLeast(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
				.until(() -> !tcpState(connection).equals("01"));
		}
		finally {
			nsqd.thaw();
		}
		this.template.send("silent", "second");
		assertThat(producerConnections()).hasSize(1).doesNotContainAnyElementsOf(connection);
		assertThat(nsqd.stats().topic("silent").messageCount()).isEqualTo(2);
	}

	/**
	 * The kernel's TCP state of the connection (from /proc/net/tcp and tcp6: "01" is ESTABLISHED), or
	 * "gone"; nsqd is frozen and cannot be asked.
	 */
	private static String tcpState(List<String> connection) throws Exception {
		String remoteAddress = connection.get(0).substring(0, connection.get(0).indexOf('@'));
		String localPort = String.format("%04X", Integer.parseInt(remoteAddress.substring(remoteAddress.lastIndexOf(':') + 1)));
		String nsqdPort = String.format("%04X", NsqAddress.parse(nsqd.tcpAddress()).port());
		List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
		lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
		return lines.stream()
			.map((line) -> line.trim().split("\\s+"))
			.filter((fields) -> fields[1].endsWith(":" + localPort) && fields[2].endsWith(":" + nsqdPort))
			.map((fields) -> fields[3])
			.findFirst()
			.orElse("gone");
	}

	/** remote address and connect time of every producer connection of this starter that nsqd has. */
	private static List<String> producerConnections() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://" + nsqd.httpAddress() + "/stats?format=json")).build(),
					HttpResponse.BodyHandlers.ofString());
		List<String> connections = new ArrayList<>();
		for (JsonNode producer : JsonMapper.builder().build().readTree(response.body()).path("producers")) {
			if (producer.path("user_agent").asString().equals(NsqVersion.userAgent())) {
				connections.add(producer.path("remote_address").asString() + "@" + producer.path("connect_ts").asLong());
			}
		}
		return connections;
	}

}
