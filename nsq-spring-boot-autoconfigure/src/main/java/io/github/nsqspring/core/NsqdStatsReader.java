package io.github.nsqspring.core;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Reads nsqd's {@code /stats} over HTTP, one GET per call, without the client lists and memory figures
 * ({@code format=json&include_clients=false&include_mem=false}): for every topic at once, or for one
 * channel ({@code topic=&channel=}, filtered by nsqd). It keeps no schedule: each caller reads at its own
 * pace; every request, connection included, ends within the timeout. Thread-safe.
 * <p>
 * Addresses are {@code host:port} (plain HTTP) or {@code http://host:port} / {@code https://host:port};
 * HTTPS uses the given {@link NsqTls}, or the JVM's trust store when there is none.
 */
public class NsqdStatsReader implements AutoCloseable {

	private static final String STATS = "/stats?format=json&include_clients=false&include_mem=false";

	private final Duration timeout;

	private final HttpClient http;

	/**
	 * @param timeout how long each request may take, connection included
	 * @param tls the TLS of {@code https://} addresses (may be null: the JVM's default trust store)
	 */
	public NsqdStatsReader(Duration timeout, @Nullable NsqTls tls) {
		this.timeout = timeout;
		HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
		if (tls != null) {
			http.sslContext(tls.sslContext()).sslParameters(tls.sslParameters());
		}
		this.http = http.build();
	}

	/** How long each request may take. */
	public Duration timeout() {
		return this.timeout;
	}

	/** The channels of every topic of the nsqd at this HTTP address. */
	public CompletableFuture<NsqdStats> read(String nsqdHttpAddress) {
		return get(nsqdHttpAddress, STATS).thenApply(NsqdStats::parse);
	}

	/** Only this channel's counts (nsqd filters): {@link NsqdStats#channel} is null when nsqd has no such channel. */
	public CompletableFuture<NsqdStats> read(String nsqdHttpAddress, String topic, String channel) {
		return get(nsqdHttpAddress, STATS + "&topic=" + encode(topic) + "&channel=" + encode(channel)).thenApply(NsqdStats::parse);
	}

	/**
	 * A GET of another read-only path of nsqd or nsqlookupd (e.g. nsqlookupd's {@code /nodes}); the future
	 * fails with an {@link IllegalStateException} naming the URL when the answer is not 200.
	 */
	public CompletableFuture<String> get(String httpAddress, String pathAndQuery) {
		URI uri = URI.create(baseUrl(httpAddress) + pathAndQuery);
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(this.timeout).GET().build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply((response) -> {
			if (response.statusCode() != 200) {
				throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
			}
			return response.body();
		}).orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS); // the request's own timeout ends with the headers
	}

	/** {@code http://host:port} for a bare address; one that names its scheme as it is. */
	private static String baseUrl(String address) {
		return address.contains("://") ? address : "http://" + address;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * Ends the HTTP client's threads on Java 21 and later, once requests under way are answered or timed out
	 * (on Java 17 they end when the client is collected).
	 */
	@Override
	public void close() {
		if (this.http instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// nothing left to release
			}
		}
	}

}
