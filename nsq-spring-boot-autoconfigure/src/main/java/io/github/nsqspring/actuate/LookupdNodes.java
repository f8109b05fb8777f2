package io.github.nsqspring.actuate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.nsqspring.core.NsqAddress;

/**
 * The nsqd that an nsqlookupd lists in its {@code /nodes} answer: each one's HTTP address
 * ({@code broadcast_address:http_port}), TCP address ({@code broadcast_address:tcp_port}, as consumers
 * connect to it) and the topics it holds (tombstoned ones left out).
 */
final class LookupdNodes {

	private final List<Node> nodes;

	private LookupdNodes(List<Node> nodes) {
		this.nodes = nodes;
	}

	/** Reads a {@code /nodes} answer (nsqlookupd v1 format, or the older one wrapped in {@code data}). */
	static LookupdNodes parse(String body) {
		JsonObject root = JsonParser.parseString(body).getAsJsonObject();
		JsonObject data = root.has("data") ? root.getAsJsonObject("data") : root;
		List<Node> nodes = new ArrayList<>();
		for (JsonElement element : data.getAsJsonArray("producers")) {
			JsonObject producer = element.getAsJsonObject();
			String host = producer.get("broadcast_address").getAsString();
			String httpAddress = new NsqAddress(host, producer.get("http_port").getAsInt()).toString();
			String tcpAddress = new NsqAddress(host, producer.get("tcp_port").getAsInt()).toString();
			nodes.add(new Node(httpAddress, tcpAddress, liveTopics(producer)));
		}
		return new LookupdNodes(List.copyOf(nodes));
	}

	private static List<String> liveTopics(JsonObject producer) {
		JsonArray topics = producer.getAsJsonArray("topics");
		JsonArray tombstones = producer.has("tombstones") ? producer.getAsJsonArray("tombstones") : new JsonArray();
		List<String> live = new ArrayList<>();
		for (int i = 0; topics != null && i < topics.size(); i++) {
			boolean tombstoned = i < tombstones.size() && tombstones.get(i).getAsBoolean();
			if (!tombstoned) {
				live.add(topics.get(i).getAsString());
			}
		}
		return live;
	}

	/** HTTP addresses of the nsqd that hold at least one of the topics. */
	List<String> httpAddressesHolding(Collection<String> topics) {
		return this.nodes.stream()
			.filter((node) -> node.topics().stream().anyMatch(topics::contains))
			.map(Node::httpAddress)
			.toList();
	}

	/** The HTTP address of each nsqd, by its TCP address. */
	Map<String, String> httpAddressesByTcpAddress() {
		Map<String, String> addresses = new HashMap<>();
		this.nodes.forEach((node) -> addresses.put(node.tcpAddress(), node.httpAddress()));
		return addresses;
	}

	private record Node(String httpAddress, String tcpAddress, List<String> topics) {
	}

}
