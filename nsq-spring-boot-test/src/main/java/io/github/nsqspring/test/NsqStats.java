package io.github.nsqspring.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A parsed snapshot of nsqd's {@code /stats?format=json}: the ground truth for what a test did to the
 * broker. A topic or channel that does not exist reads as all zeros through {@link #topic(String)}
 * and {@link TopicStats#channel(String)}; {@link #findTopic(String)} tells the two apart.
 */
public final class NsqStats {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final List<TopicStats> topics;

	private final List<ProducerStats> producers;

	private NsqStats(List<TopicStats> topics, List<ProducerStats> producers) {
		this.topics = topics;
		this.producers = producers;
	}

	static NsqStats parse(String json) {
		JsonNode root = JSON.readTree(json);
		JsonNode data = root.has("data") ? root.get("data") : root;
		List<TopicStats> topics = new ArrayList<>();
		for (JsonNode topic : data.path("topics")) {
			List<ChannelStats> channels = new ArrayList<>();
			for (JsonNode channel : topic.path("channels")) {
				List<ClientStats> clients = new ArrayList<>();
				for (JsonNode client : channel.path("clients")) {
					clients.add(new ClientStats(client.path("client_id").asString(), client.path("hostname").asString(),
							client.path("user_agent").asString(), client.path("ready_count").asLong(),
							client.path("in_flight_count").asLong(), client.path("message_count").asLong(),
							client.path("finish_count").asLong(), client.path("requeue_count").asLong(),
							client.path("snappy").asBoolean(), client.path("deflate").asBoolean(), client.path("sample_rate").asInt(),
							client.path("tls").asBoolean(), client.path("tls_version").asString(),
							client.path("auth_identity").asString()));
				}
				channels.add(new ChannelStats(channel.path("channel_name").asString(), channel.path("depth").asLong(),
						channel.path("backend_depth").asLong(), channel.path("in_flight_count").asLong(),
						channel.path("deferred_count").asLong(), channel.path("message_count").asLong(),
						channel.path("requeue_count").asLong(), channel.path("timeout_count").asLong(),
						channel.path("paused").asBoolean(), clients));
			}
			topics.add(new TopicStats(topic.path("topic_name").asString(), topic.path("depth").asLong(),
					topic.path("backend_depth").asLong(), topic.path("message_count").asLong(),
					topic.path("paused").asBoolean(), channels));
		}
		List<ProducerStats> producers = new ArrayList<>();
		for (JsonNode producer : data.path("producers")) {
			producers.add(new ProducerStats(producer.path("client_id").asString(),
					producer.path("remote_address").asString(), producer.path("user_agent").asString(),
					producer.path("tls").asBoolean(), producer.path("tls_version").asString(),
					producer.path("auth_identity").asString(), producer.path("snappy").asBoolean(),
					producer.path("deflate").asBoolean()));
		}
		return new NsqStats(List.copyOf(topics), List.copyOf(producers));
	}

	public List<TopicStats> topics() {
		return this.topics;
	}

	/** The connected clients that published (nsqd lists them apart from the channels' clients). */
	public List<ProducerStats> producers() {
		return this.producers;
	}

	public Optional<TopicStats> findTopic(String name) {
		return this.topics.stream().filter((topic) -> topic.name().equals(name)).findFirst();
	}

	/** The named topic, or an empty topic with zero counts when nsqd does not have it. */
	public TopicStats topic(String name) {
		return findTopic(name).orElseGet(() -> new TopicStats(name, 0, 0, 0, false, List.of()));
	}

	/** Shortcut for {@code topic(topic).channel(channel)}. */
	public ChannelStats channel(String topic, String channel) {
		return topic(topic).channel(channel);
	}

	@Override
	public String toString() {
		return "NsqStats" + this.topics;
	}

	/** One topic: {@code depth} counts messages not yet copied to a channel. */
	public record TopicStats(String name, long depth, long backendDepth, long messageCount, boolean paused,
			List<ChannelStats> channels) {

		public Optional<ChannelStats> findChannel(String name) {
			return this.channels.stream().filter((channel) -> channel.name().equals(name)).findFirst();
		}

		/** The named channel, or an empty channel with zero counts when it does not exist. */
		public ChannelStats channel(String name) {
			return findChannel(name).orElseGet(() -> new ChannelStats(name, 0, 0, 0, 0, 0, 0, 0, false, List.of()));
		}

	}

	/**
	 * One channel. {@code depth} is the number of messages waiting (memory and disk), {@code inFlightCount}
	 * those sent to a client and not yet finished or requeued, {@code timeoutCount} those nsqd took back
	 * because the client did not answer within the message timeout.
	 */
	public record ChannelStats(String name, long depth, long backendDepth, long inFlightCount, long deferredCount,
			long messageCount, long requeueCount, long timeoutCount, boolean paused, List<ClientStats> clients) {

		public int clientCount() {
			return this.clients.size();
		}

		/** The sum of the clients' RDY counts. */
		public long readyCount() {
			return this.clients.stream().mapToLong(ClientStats::readyCount).sum();
		}

		/** The sum of the connected clients' FIN counts (clients that disconnected are not included). */
		public long finishCount() {
			return this.clients.stream().mapToLong(ClientStats::finishCount).sum();
		}

	}

	/**
	 * One connected client that published, from its address (host:port): whether it talks TLS (and which
	 * version), the identity its AUTH was granted (empty without AUTH) and the compression its IDENTIFY
	 * negotiated.
	 */
	public record ProducerStats(String clientId, String remoteAddress, String userAgent, boolean tls, String tlsVersion,
			String authIdentity, boolean snappy, boolean deflate) {

	}

	/**
	 * One connected client of a channel, with the compression and sample rate its IDENTIFY negotiated,
	 * whether it talks TLS (and which version) and the identity its AUTH was granted (empty without AUTH).
	 */
	public record ClientStats(String clientId, String hostname, String userAgent, long readyCount, long inFlightCount,
			long messageCount, long finishCount, long requeueCount, boolean snappy, boolean deflate, int sampleRate,
			boolean tls, String tlsVersion, String authIdentity) {

	}

}
