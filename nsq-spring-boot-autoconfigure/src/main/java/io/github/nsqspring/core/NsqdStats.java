package io.github.nsqspring.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.jspecify.annotations.Nullable;

/**
 * One answer of nsqd's {@code /stats?format=json}: the channels of its topics with their counts. A
 * channel's {@link Channel#depth() depth} is what nsqd reports as {@code depth}: messages ready to be
 * delivered, in memory and on disk together ({@link Channel#backendDepth() backend_depth} is the disk
 * part); messages in flight and deferred ones are counted apart. The counters ({@code requeue_count},
 * {@code timeout_count}, {@code message_count}) start again from 0 when nsqd restarts or the channel is
 * deleted and created again.
 */
public final class NsqdStats {

	private final String version;

	private final Map<String, Channel> channels;

	private NsqdStats(String version, Map<String, Channel> channels) {
		this.version = version;
		this.channels = channels;
	}

	/**
	 * Reads a {@code /stats?format=json} answer (nsqd v1 format, or the older one wrapped in {@code data}).
	 * @throws IllegalArgumentException when it is not such an answer
	 */
	public static NsqdStats parse(String json) {
		try {
			JsonObject root = JsonParser.parseString(json).getAsJsonObject();
			JsonObject data = root.has("data") ? root.getAsJsonObject("data") : root;
			Map<String, Channel> channels = new HashMap<>();
			for (JsonObject topic : objects(data, "topics")) {
				String topicName = topic.get("topic_name").getAsString();
				for (JsonObject channel : objects(topic, "channels")) {
					Channel stats = new Channel(topicName, channel.get("channel_name").getAsString(), number(channel, "depth"),
							number(channel, "backend_depth"), number(channel, "in_flight_count"), number(channel, "deferred_count"),
							number(channel, "message_count"), number(channel, "requeue_count"), number(channel, "timeout_count"),
							(int) number(channel, "client_count"), channel.has("paused") && channel.get("paused").getAsBoolean());
					channels.put(key(topicName, stats.name()), stats);
				}
			}
			String version = data.has("version") ? data.get("version").getAsString() : "";
			return new NsqdStats(version, Map.copyOf(channels));
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("Not an nsqd /stats?format=json answer: " + ex.getMessage(), ex);
		}
	}

	private static List<JsonObject> objects(JsonObject parent, String name) {
		JsonElement element = parent.get(name);
		if (element == null || !element.isJsonArray()) {
			// nsqd answers "topics": null when it has none
			return List.of();
		}
		JsonArray array = element.getAsJsonArray();
		return array.asList().stream().map(JsonElement::getAsJsonObject).toList();
	}

	private static long number(JsonObject object, String name) {
		JsonElement element = object.get(name);
		return (element != null && !element.isJsonNull()) ? element.getAsLong() : 0;
	}

	private static String key(String topic, String channel) {
		return topic + '/' + channel;
	}

	/** nsqd's version, e.g. {@code 1.3.0}. */
	public String version() {
		return this.version;
	}

	/** The channel's counts, or null when nsqd has no such channel. */
	public @Nullable Channel channel(String topic, String channel) {
		return this.channels.get(key(topic, channel));
	}

	/** Every channel nsqd reported. */
	public List<Channel> channels() {
		return List.copyOf(this.channels.values());
	}

	/**
	 * One channel as nsqd reports it.
	 * @param topic the topic
	 * @param name the channel
	 * @param depth messages ready to be delivered, in memory and on disk
	 * @param backendDepth the part of {@code depth} on disk
	 * @param inFlight messages delivered and not yet finished, requeued or timed out
	 * @param deferred messages requeued with a delay or published deferred, not yet due
	 * @param messages messages the channel received (since nsqd started or the channel was created)
	 * @param requeued REQ commands nsqd received for the channel (since then)
	 * @param timedOut messages whose consumer did not answer within the message timeout (since then)
	 * @param clients connected consumers
	 * @param paused whether the channel is paused ({@code /channel/pause})
	 */
	public record Channel(String topic, String name, long depth, long backendDepth, long inFlight, long deferred, long messages,
			long requeued, long timedOut, int clients, boolean paused) {
	}

}
