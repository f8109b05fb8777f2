package io.github.nsqspring.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.listener.ContainerState;
import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the NSQ connection: {@code /ping} of each nsqd and nsqlookupd over HTTP (HTTPS for an nsqd
 * address written {@code https://host:port}), and the state and connection count of each listener
 * container.
 * <ul>
 * <li>{@code OUT_OF_SERVICE} while a container drains, or after the registry stopped;</li>
 * <li>{@code DOWN} when no nsqd (or, with nsqlookupd only, no nsqlookupd) answers, or a running
 * container that connects to nsqd directly has no connection (it cannot consume);</li>
 * <li>{@code UP} otherwise; when some but not all servers answer, the detail {@code unreachable} lists
 * the others (consumers and the template work through the rest, so the instance stays in service).</li>
 * </ul>
 */
public class NsqHealthIndicator extends AbstractHealthIndicator {

	private final NsqListenerRegistry registry;

	private final List<String> nsqdHttpAddresses;

	private final List<String> lookupdHttpAddresses;

	private final Duration timeout;

	private final HttpClient http;

	/**
	 * @param registry the listener containers (may be null)
	 * @param nsqdHttpAddresses HTTP addresses (host:port) of nsqd
	 * @param lookupdHttpAddresses HTTP addresses of nsqlookupd
	 * @param timeout how long to wait for each {@code /ping}
	 */
	public NsqHealthIndicator(NsqListenerRegistry registry, List<String> nsqdHttpAddresses, List<String> lookupdHttpAddresses,
			Duration timeout) {
		this(registry, nsqdHttpAddresses, lookupdHttpAddresses, timeout, null);
	}

	/**
	 * @param registry the listener containers (may be null)
	 * @param nsqdHttpAddresses HTTP addresses (host:port, or {@code https://host:port} for HTTPS) of nsqd
	 * @param lookupdHttpAddresses HTTP addresses of nsqlookupd
	 * @param timeout how long to wait for each {@code /ping}
	 * @param tls the TLS of HTTPS addresses (may be null: the JVM's default trust store)
	 */
	public NsqHealthIndicator(NsqListenerRegistry registry, List<String> nsqdHttpAddresses, List<String> lookupdHttpAddresses,
			Duration timeout, NsqTls tls) {
		super("NSQ health check failed");
		this.registry = registry;
		this.nsqdHttpAddresses = List.copyOf(nsqdHttpAddresses);
		this.lookupdHttpAddresses = List.copyOf(lookupdHttpAddresses);
		this.timeout = timeout;
		HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
		if (tls != null) {
			http.sslContext(tls.sslContext()).sslParameters(tls.sslParameters());
		}
		this.http = http.build();
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, String> nsqd = ping(this.nsqdHttpAddresses);
		Map<String, String> lookupd = ping(this.lookupdHttpAddresses);
		Map<String, Object> containers = new LinkedHashMap<>();
		boolean draining = false;
		boolean disconnected = false;
		if (this.registry != null) {
			for (NsqListenerContainer container : this.registry.getContainers()) {
				containers.put(container.getName(), Map.of("id", Long.toString(container.getId()), "topic", container.getTopic(),
						"channel", container.getChannel(), "state", container.getState().name(), "connections",
						container.getConnectionCount()));
				draining |= container.getState() == ContainerState.DRAINING;
				disconnected |= container.getState() == ContainerState.RUNNING && container.getConnectionCount() == 0
						&& !container.getContainerProperties().usesLookupd();
			}
			draining |= !containers.isEmpty() && !this.registry.isRunning();
		}
		builder.status(status(draining, disconnected, nsqd, lookupd));
		builder.withDetail("nsqd", nsqd);
		if (!lookupd.isEmpty()) {
			builder.withDetail("nsqlookupd", lookupd);
		}
		List<String> unreachable = new ArrayList<>();
		nsqd.forEach((address, state) -> addIfDown(unreachable, address, state));
		lookupd.forEach((address, state) -> addIfDown(unreachable, address, state));
		if (!unreachable.isEmpty()) {
			builder.withDetail("unreachable", unreachable);
		}
		builder.withDetail("listeners", containers);
	}

	/** {@code http://host:port} for a bare address; one that names its scheme ({@code https://}) as it is. */
	private static String baseUrl(String address) {
		return address.contains("://") ? address : "http://" + address;
	}

	private static void addIfDown(List<String> unreachable, String address, String state) {
		if (!"UP".equals(state)) {
			unreachable.add(address);
		}
	}

	private Status status(boolean draining, boolean disconnected, Map<String, String> nsqd, Map<String, String> lookupd) {
		if (draining) {
			return Status.OUT_OF_SERVICE;
		}
		Map<String, String> essential = (nsqd.isEmpty()) ? lookupd : nsqd;
		boolean noneAnswers = !essential.isEmpty() && !essential.containsValue("UP");
		return (noneAnswers || disconnected) ? Status.DOWN : Status.UP;
	}

	private Map<String, String> ping(List<String> addresses) {
		Map<String, String> result = new LinkedHashMap<>();
		for (String address : addresses) {
			result.put(address, ping(address));
		}
		return result;
	}

	private String ping(String address) {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl(address) + "/ping")).timeout(this.timeout).GET().build();
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? "UP" : "DOWN: /ping answered " + response.statusCode();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "DOWN: interrupted";
		}
		catch (Exception ex) {
			return "DOWN: " + ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? " " + ex.getMessage() : "");
		}
	}

}
