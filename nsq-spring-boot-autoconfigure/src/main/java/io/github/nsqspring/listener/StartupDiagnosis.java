package io.github.nsqspring.listener;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.nsqspring.core.NsqAddress;
import io.github.nsqspring.core.NsqConsumerSettings;
import io.github.nsqspring.core.NsqConsumerSettings.HostPort;

/**
 * Why a container has no nsqd connection, in one line per address: each nsqd probed with the container's
 * handshake and SUB (nsqd's answer, or the socket's), and through nsqlookupd first the lookup of the topic
 * (the nsqd it lists, or that it lists none, or the socket's answer).
 */
final class StartupDiagnosis {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	/** What the container's addresses answer, {@code "; "}-separated. */
	String describe(NsqConsumerSettings settings) {
		List<String> answers = new ArrayList<>();
		if (settings.usesLookupd()) {
			for (String lookupd : settings.getLookupdAddresses()) {
				answers.addAll(lookup(settings, lookupd));
			}
		}
		else {
			settings.nsqdHostPorts().forEach((nsqd) -> answers.add(probe(settings, nsqd)));
		}
		return String.join("; ", answers);
	}

	private List<String> lookup(NsqConsumerSettings settings, String lookupd) {
		String topic = settings.getTopic();
		HttpResponse<String> response;
		try {
			URI uri = URI.create("http://" + lookupd + "/lookup?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
			response = this.http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return List.of("nsqlookupd " + lookupd + ": " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of("nsqlookupd " + lookupd + ": interrupted");
		}
		List<String> producers;
		try {
			producers = (response.statusCode() == 200) ? producers(response.body()) : List.of();
		}
		catch (RuntimeException ex) {
			return List.of("nsqlookupd " + lookupd + " answered what is not a lookup: " + response.body());
		}
		if (response.statusCode() == 404 || (response.statusCode() == 200 && producers.isEmpty())) {
			return List.of("nsqlookupd " + lookupd + " lists no nsqd for topic '" + topic + "'");
		}
		if (response.statusCode() != 200) {
			return List.of("nsqlookupd " + lookupd + " answered HTTP " + response.statusCode() + ": " + response.body());
		}
		List<String> answers = new ArrayList<>();
		for (String producer : producers) {
			NsqAddress address = NsqAddress.parse(producer);
			answers.add(probe(settings, new HostPort(address.host(), address.port())) + " (listed by nsqlookupd " + lookupd + ")");
		}
		return answers;
	}

	/** TCP addresses ({@code broadcast_address:tcp_port}) of a {@code /lookup} answer (v1 format, or wrapped in {@code data}). */
	private static List<String> producers(String body) {
		JsonObject root = JsonParser.parseString(body).getAsJsonObject();
		JsonObject data = root.has("data") ? root.getAsJsonObject("data") : root;
		List<String> addresses = new ArrayList<>();
		if (data.has("producers")) {
			for (JsonElement element : data.getAsJsonArray("producers")) {
				JsonObject producer = element.getAsJsonObject();
				addresses.add(new NsqAddress(producer.get("broadcast_address").getAsString(), producer.get("tcp_port").getAsInt())
					.toString());
			}
		}
		return addresses;
	}

	private static String probe(NsqConsumerSettings settings, HostPort nsqd) {
		try {
			settings.probeSubscription(nsqd, TIMEOUT);
			return "nsqd " + nsqd + " accepts the subscription now";
		}
		catch (NsqConsumerSettings.Refused ex) {
			return "nsqd " + nsqd + " refused: " + ex.getMessage();
		}
		catch (IOException ex) {
			return "nsqd " + nsqd + ": " + ex;
		}
	}

}
