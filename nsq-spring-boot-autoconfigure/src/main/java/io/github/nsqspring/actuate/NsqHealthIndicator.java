package io.github.nsqspring.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.nsqspring.core.NsqAddress;
import io.github.nsqspring.core.NsqTls;
import io.github.nsqspring.listener.ContainerState;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the NSQ connection: each nsqlookupd's {@code /nodes}, {@code /ping} of the nsqd the application
 * uses (over HTTPS for an address written {@code https://host:port}), and the state and connection count of each listener container. The nsqd checked are those the
 * nsqlookupd list for a topic of a listener that discovers through them (the last list a lookupd gave,
 * while it does not answer), and the configured nsqd when a listener connects to them directly, when no
 * nsqlookupd is configured, or once the template has published (it publishes there).
 * <ul>
 * <li>{@code OUT_OF_SERVICE} while a container drains, or after the registry stopped;</li>
 * <li>{@code DOWN} when no nsqd checked answers (or, with none to check, no nsqlookupd answers), when
 * none of the configured nsqd answers while they are checked (the template and direct consumers use no
 * other), a running container that connects to nsqd directly has no connection (it cannot consume), or
 * an nsqd refused a container (TLS handshake, AUTH or SUB: detail {@code refused} of the listener);</li>
 * <li>{@code UP} otherwise; when some but not all servers answer, the detail {@code unreachable} lists
 * the others (consumers and the template work through the rest, so the instance stays in service).</li>
 * </ul>
 */
public class NsqHealthIndicator extends AbstractHealthIndicator {

	private static final String UP = "UP";

	private final @Nullable NsqListenerRegistry registry;

	private final List<String> nsqdHttpAddresses;

	private final List<String> lookupdHttpAddresses;

	private final BooleanSupplier templateHasPublished;

	private final Duration timeout;

	private final HttpClient http;

	private final Map<String, LookupdNodes> lastNodes = new ConcurrentHashMap<>();

	/**
	 * @param registry the listener containers (may be null)
	 * @param nsqdHttpAddresses HTTP addresses (host:port, or {@code https://host:port} for HTTPS) of the configured nsqd
	 * @param lookupdHttpAddresses HTTP addresses of nsqlookupd ({@code host:port} or {@code http://host:port})
	 * @param templateHasPublished whether the template has published to the configured nsqd
	 * @param timeout how long to wait for each request
	 * @param tls the TLS of HTTPS addresses (may be null: the JVM's default trust store)
	 */
	public NsqHealthIndicator(@Nullable NsqListenerRegistry registry, List<String> nsqdHttpAddresses, List<String> lookupdHttpAddresses,
			BooleanSupplier templateHasPublished, Duration timeout, @Nullable NsqTls tls) {
		super("NSQ health check failed");
		this.registry = registry;
		this.nsqdHttpAddresses = List.copyOf(nsqdHttpAddresses);
		this.lookupdHttpAddresses = lookupdHttpAddresses.stream().map((address) -> NsqAddress.parseHttp(address).toString()).toList();
		this.templateHasPublished = templateHasPublished;
		this.timeout = timeout;
		HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
		if (tls != null) {
			http.sslContext(tls.sslContext()).sslParameters(tls.sslParameters());
		}
		this.http = http.build();
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, CompletableFuture<String>> lookupdAnswers = new LinkedHashMap<>();
		this.lookupdHttpAddresses.forEach((address) -> lookupdAnswers.put(address, askNodes(address)));
		Map<String, Object> containers = new LinkedHashMap<>();
		Set<String> discoveredTopics = new LinkedHashSet<>();
		boolean direct = this.lookupdHttpAddresses.isEmpty();
		boolean draining = false;
		boolean disconnected = false;
		if (this.registry != null) {
			for (NsqMessageListenerContainer container : this.registry.getContainers()) {
				Map<String, String> refusals = container.getConnectionRefusals();
				containers.put(container.getName(), Map.of("id", Long.toString(container.getId()), "topic", container.getTopic(),
						"channel", container.getChannel(), "state", container.getState().name(), "connections",
						container.getConnectionCount(), "refused", refusals));
				boolean usesLookupd = container.getContainerProperties().usesLookupd();
				if (usesLookupd) {
					discoveredTopics.add(container.getTopic());
				}
				direct |= !usesLookupd;
				draining |= container.getState() == ContainerState.DRAINING;
				disconnected |= (container.getState() == ContainerState.RUNNING || container.getState() == ContainerState.BACKING_OFF)
						&& container.getConnectionCount() == 0
						&& !usesLookupd;
				disconnected |= !refusals.isEmpty();
			}
			draining |= !containers.isEmpty() && !this.registry.isRunning();
		}
		Map<String, String> lookupd = join(lookupdAnswers);
		List<String> configured = (direct || this.templateHasPublished.getAsBoolean()) ? this.nsqdHttpAddresses : List.of();
		Set<String> nsqdToCheck = new LinkedHashSet<>(configured);
		this.lookupdHttpAddresses.stream()
			.map(this.lastNodes::get)
			.filter((nodes) -> nodes != null)
			.forEach((nodes) -> nsqdToCheck.addAll(nodes.httpAddressesHolding(discoveredTopics)));
		Map<String, String> nsqd = ping(nsqdToCheck);
		// the template and direct consumers use the configured nsqd only: nsqd found through lookupd cannot stand in
		boolean configuredDown = !configured.isEmpty() && configured.stream().noneMatch((address) -> UP.equals(nsqd.get(address)));
		builder.status(status(draining, disconnected || configuredDown, nsqd, lookupd));
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
		if (!UP.equals(state)) {
			unreachable.add(address);
		}
	}

	private Status status(boolean draining, boolean cannotWork, Map<String, String> nsqd, Map<String, String> lookupd) {
		if (draining) {
			return Status.OUT_OF_SERVICE;
		}
		Map<String, String> essential = (nsqd.isEmpty()) ? lookupd : nsqd;
		boolean noneAnswers = !essential.isEmpty() && !essential.containsValue(UP);
		return (noneAnswers || cannotWork) ? Status.DOWN : Status.UP;
	}

	/** Asks an nsqlookupd for its nodes and keeps them; the future gives its state. */
	private CompletableFuture<String> askNodes(String address) {
		return get(address, "/nodes").thenApply((body) -> {
			this.lastNodes.put(address, LookupdNodes.parse(body));
			return UP;
		}).exceptionally(NsqHealthIndicator::down);
	}

	private Map<String, String> ping(Collection<String> addresses) {
		Map<String, CompletableFuture<String>> answers = new LinkedHashMap<>();
		addresses.forEach((address) -> answers
			.put(address, get(address, "/ping").thenApply((body) -> UP).exceptionally(NsqHealthIndicator::down)));
		return join(answers);
	}

	private CompletableFuture<String> get(String address, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl(address) + path)).timeout(this.timeout).GET().build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply((response) -> {
			if (response.statusCode() != 200) {
				throw new IllegalStateException(path + " answered " + response.statusCode());
			}
			return response.body();
		}).orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS); // the request's timeout ends with the headers
	}

	private static Map<String, String> join(Map<String, CompletableFuture<String>> answers) {
		Map<String, String> states = new LinkedHashMap<>();
		answers.forEach((address, answer) -> states.put(address, answer.join()));
		return states;
	}

	private static String down(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
		if (cause instanceof IllegalStateException) {
			return "DOWN: " + cause.getMessage();
		}
		return "DOWN: " + cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? " " + cause.getMessage() : "");
	}

}
