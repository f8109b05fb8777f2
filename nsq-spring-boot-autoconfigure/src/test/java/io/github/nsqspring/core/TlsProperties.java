package io.github.nsqspring.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.test.NsqServer;

/** Property lists for applications that talk TLS to a test nsqd. */
public final class TlsProperties {

	private TlsProperties() {
	}

	/** The bundle's properties followed by more. */
	public static String[] properties(Map<String, String> bundle, String... more) {
		List<String> all = new ArrayList<>();
		bundle.forEach((key, value) -> all.add(key + "=" + value));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	/**
	 * Trusts the server's test authority through bundle "nsq" and points {@code nsq.nsqd-addresses} at it,
	 * plus more properties (a later one wins).
	 */
	public static String[] trusting(NsqServer server, String... more) {
		List<String> all = new ArrayList<>(List.of("nsq.ssl.bundle=nsq", "nsq.nsqd-addresses=" + server.tcpAddress()));
		all.addAll(List.of(more));
		return properties(server.certificates().bundleProperties("nsq", null), all.toArray(String[]::new));
	}

}
