package io.github.nsqspring.test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One real nsqlookupd process on free loopback ports; part of an {@link NsqCluster}. */
public final class NsqLookupd implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ServerProcess process;

	NsqLookupd() {
		this.process = new ServerProcess("nsqlookupd", (p) -> List.of("--tcp-address=127.0.0.1:" + p.tcpPort(),
				"--http-address=127.0.0.1:" + p.httpPort(), "--broadcast-address=127.0.0.1"));
	}

	/** Starts nsqlookupd (again, on the same ports) and waits until it answers {@code /ping}. */
	public NsqLookupd start() {
		this.process.start();
		return this;
	}

	public void stop() {
		this.process.stop();
	}

	@Override
	public void close() {
		this.process.close();
	}

	public boolean isRunning() {
		return this.process.isRunning();
	}

	/** The TCP address nsqd registers with. */
	public String tcpAddress() {
		return "127.0.0.1:" + this.process.tcpPort();
	}

	/** The HTTP address consumers query, e.g. {@code 127.0.0.1:41236}. */
	public String httpAddress() {
		return "127.0.0.1:" + this.process.httpPort();
	}

	/**
	 * Returns the TCP addresses ({@code host:port}) of the nsqd producers of a topic, from
	 * {@code /lookup?topic=}; empty when the topic is unknown.
	 */
	public List<String> lookup(String topic) {
		String body;
		try {
			body = this.process.get("/lookup?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
		}
		catch (IllegalStateException ex) {
			if (ex.getMessage() != null && ex.getMessage().contains("TOPIC_NOT_FOUND")) {
				return List.of();
			}
			throw ex;
		}
		JsonNode root = JSON.readTree(body);
		JsonNode data = root.has("data") ? root.get("data") : root;
		List<String> producers = new ArrayList<>();
		for (JsonNode producer : data.path("producers")) {
			producers.add(producer.path("broadcast_address").asString() + ":" + producer.path("tcp_port").asInt());
		}
		return producers;
	}

	/**
	 * Tombstones a topic of an nsqd ({@code /topic/tombstone}): consumers no longer learn of that nsqd for
	 * the topic, while it goes on serving the connections it has.
	 */
	public void tombstone(String topic, NsqServer nsqd) {
		this.process.post("/topic/tombstone?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8) + "&node="
				+ nsqd.httpAddress(), new byte[0]);
	}

	@Override
	public String toString() {
		return "nsqlookupd[tcp=" + tcpAddress() + ", http=" + httpAddress() + "]";
	}

}
