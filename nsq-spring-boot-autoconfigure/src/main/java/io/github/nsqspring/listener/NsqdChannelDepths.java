package io.github.nsqspring.listener;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sproutsocial.nsq.ChannelDepths;
import com.sproutsocial.nsq.ContainerClient;
import io.github.nsqspring.core.NsqAddress;
import io.github.nsqspring.core.NsqdStats;
import io.github.nsqspring.core.NsqdStatsReader;
import org.jspecify.annotations.Nullable;

/**
 * The channel's depth on each nsqd of one container run, for its backlog-aware RDY: read from nsqd's
 * {@code /stats} for the channel, at most once per redistribution period per nsqd and only when the
 * distributor asks (it asks only with fewer RDY than connections). The HTTP address of an nsqd is the one
 * nsqlookupd lists for the topic ({@code broadcast_address:http_port} of {@code /lookup}, asked again at
 * most every {@value #LOOKUP_MILLIS} ms while an nsqd is missing), or with direct connections its TCP port
 * plus one (nsqd's default layout). An nsqd whose HTTP port does not answer is asked again only after
 * {@value #RETRY_MILLIS} ms and has no depth meanwhile: the distributor gives it turns as in a rotation.
 * All runs share one {@link NsqdStatsReader} (one HTTP client).
 */
final class NsqdChannelDepths implements ChannelDepths {

	private static final long LOOKUP_MILLIS = 2000;

	private static final long RETRY_MILLIS = 5000;

	private static final long TICK_SLACK_MILLIS = 50;

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private final ContainerProperties properties;

	private final Map<String, Nsqd> nsqds = new ConcurrentHashMap<>();

	private final Map<String, String> httpAddresses = new ConcurrentHashMap<>();

	private volatile long lastLookupNanos;

	private volatile boolean closed;

	private volatile Runnable backlogFound = () -> { };

	NsqdChannelDepths(ContainerProperties properties) {
		this.properties = properties;
	}

	/** What to do when an nsqd that had no known backlog reports messages: distribute again. */
	void onBacklogFound(ContainerClient client) {
		this.backlogFound = client::redistribute;
	}

	@Override
	public @Nullable Depth depth(String nsqdAddress) {
		if (this.closed) {
			return null;
		}
		Nsqd nsqd = this.nsqds.computeIfAbsent(nsqdAddress, Nsqd::new);
		nsqd.refresh();
		return nsqd.depth;
	}

	@Override
	public void close() {
		this.closed = true;
	}

	private @Nullable String httpAddress(String tcpAddress) {
		if (!this.properties.usesLookupd()) {
			NsqAddress tcp = NsqAddress.parse(tcpAddress);
			return new NsqAddress(tcp.host(), tcp.port() + 1).toString();
		}
		String known = this.httpAddresses.get(tcpAddress);
		if (known == null) {
			lookup();
		}
		return known;
	}

	/** Asks each nsqlookupd for the topic's producers (at most every {@value #LOOKUP_MILLIS} ms); answers fill the map. */
	private void lookup() {
		long now = System.nanoTime();
		if (this.lastLookupNanos != 0 && now - this.lastLookupNanos < TimeUnit.MILLISECONDS.toNanos(LOOKUP_MILLIS)) {
			return;
		}
		this.lastLookupNanos = now;
		String path = "/lookup?topic=" + URLEncoder.encode(this.properties.getTopic(), StandardCharsets.UTF_8);
		for (String lookupd : this.properties.getLookupdAddresses()) {
			Shared.READER.get(lookupd, path).thenAccept(this::readProducers);
		}
	}

	private void readProducers(String json) {
		JsonObject root = JsonParser.parseString(json).getAsJsonObject();
		JsonObject data = root.has("data") ? root.getAsJsonObject("data") : root;
		JsonElement producers = data.get("producers");
		if (producers == null || !producers.isJsonArray()) {
			return;
		}
		for (JsonElement element : producers.getAsJsonArray()) {
			JsonObject producer = element.getAsJsonObject();
			String host = producer.get("broadcast_address").getAsString();
			String tcp = new NsqAddress(host, producer.get("tcp_port").getAsInt()).toString();
			this.httpAddresses.put(tcp, new NsqAddress(host, producer.get("http_port").getAsInt()).toString());
		}
	}

	/** One nsqd: its last depth and when it may be asked again. */
	private final class Nsqd {

		private final String tcpAddress;

		private volatile @Nullable Depth depth;

		private volatile long nextRequestNanos;

		private volatile boolean requesting;

		Nsqd(String tcpAddress) {
			this.tcpAddress = tcpAddress;
		}

		void refresh() {
			long now = System.nanoTime();
			if (this.requesting || now - this.nextRequestNanos < 0) {
				return;
			}
			String http = httpAddress(this.tcpAddress);
			if (http == null) {
				return;
			}
			this.requesting = true;
			// a little under a period, so that the distribution's next tick asks again
			this.nextRequestNanos = now + TimeUnit.MILLISECONDS.toNanos(ContainerClient.readyPeriodMillis() - TICK_SLACK_MILLIS);
			String topic = NsqdChannelDepths.this.properties.getTopic();
			String channel = NsqdChannelDepths.this.properties.getChannel();
			Shared.READER.read(http, topic, channel).whenComplete((stats, failure) -> answered(now, stats, failure));
		}

		private void answered(long requestedNanos, @Nullable NsqdStats stats, @Nullable Throwable failure) {
			this.requesting = false;
			if (stats == null || failure != null) {
				this.depth = null;
				this.nextRequestNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
				return;
			}
			NsqdStats.Channel channel = stats.channel(NsqdChannelDepths.this.properties.getTopic(),
					NsqdChannelDepths.this.properties.getChannel());
			long messages = (channel != null) ? channel.depth() : 0;
			Depth previous = this.depth;
			this.depth = new Depth(messages, requestedNanos);
			if (messages > 0 && (previous == null || previous.messages() == 0) && !NsqdChannelDepths.this.closed) {
				NsqdChannelDepths.this.backlogFound.run();
			}
		}

	}

	/** The reader all runs share, made on first use. */
	private static final class Shared {

		static final NsqdStatsReader READER = new NsqdStatsReader(TIMEOUT, null);

	}

}
