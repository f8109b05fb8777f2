package io.github.nsqspring.actuate;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.nsqspring.listener.DrainReport;
import io.github.nsqspring.listener.ListenerStats;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code nsq} actuator endpoint: lists the listener containers ({@code GET /actuator/nsq}), shows
 * one by listener name or snowflake id ({@code GET /actuator/nsq/{id}}), and pauses, resumes, stops
 * (drains, as on shutdown) or starts one ({@code POST /actuator/nsq/{id}} with
 * {@code {"action":"pause"}}). An unknown id answers 404, an unknown action 400 with a body naming the valid actions.
 * With a {@link ChannelBacklogMonitor}, each container shows its channel's backlog as nsqd reports it.
 */
@Endpoint(id = "nsq")
public class NsqEndpoint {

	private static final List<String> ACTIONS = List.of("pause", "resume", "stop", "start");

	private final NsqListenerRegistry registry;

	private final @Nullable ChannelBacklogMonitor backlog;

	public NsqEndpoint(NsqListenerRegistry registry) {
		this(registry, null);
	}

	/**
	 * @param registry the listener containers
	 * @param backlog reads each container's channel backlog from nsqd (may be null: none shown)
	 */
	public NsqEndpoint(NsqListenerRegistry registry, @Nullable ChannelBacklogMonitor backlog) {
		this.registry = registry;
		this.backlog = backlog;
	}

	@ReadOperation
	public ContainersDescriptor containers() {
		return new ContainersDescriptor(this.registry.isRunning(),
				this.registry.getContainers().stream().map(this::describe).toList());
	}

	@ReadOperation
	public WebEndpointResponse<ContainerDescriptor> container(@Selector String id) {
		return this.registry.getContainer(id)
			.map((container) -> new WebEndpointResponse<>(describe(container)))
			.orElseGet(() -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND));
	}

	/**
	 * Runs {@code action} (pause, resume, stop or start) on a container and answers its new state;
	 * {@code stop} returns when the container has drained.
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> control(@Selector String id, String action) {
		NsqMessageListenerContainer container = this.registry.getContainer(id).orElse(null);
		if (container == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		switch ((action != null) ? action.toLowerCase(Locale.ROOT) : "") {
			case "pause" -> container.pause();
			case "resume" -> container.resume();
			case "stop" -> container.stop();
			case "start" -> container.start();
			default -> {
				return new WebEndpointResponse<>(new UnknownActionDescriptor("Unknown action '" + action + "'", ACTIONS),
						WebEndpointResponse.STATUS_BAD_REQUEST);
			}
		}
		return new WebEndpointResponse<>(describe(container));
	}

	private ContainerDescriptor describe(NsqMessageListenerContainer container) {
		return ContainerDescriptor.of(container, (this.backlog != null) ? this.backlog.backlog(container) : null);
	}

	/** The answer to an unknown action: what was wrong and the actions there are. */
	public record UnknownActionDescriptor(String error, List<String> validActions) implements OperationResponseBody {
	}

	/** The batches of a batch listener: at most {@code maxSize} messages, handed over at the latest {@code maxWaitMillis} after the first. */
	public record BatchDescriptor(int maxSize, long maxWaitMillis) {
	}

	/** All containers, and whether the registry runs. */
	public record ContainersDescriptor(boolean running, List<ContainerDescriptor> containers) implements OperationResponseBody {
	}

	/**
	 * One container; {@code id} is the snowflake id as a string (64-bit values do not survive JSON numbers);
	 * {@code backoffLevel} and {@code backoffWindowMillis} describe its flow backoff (state
	 * {@code BACKING_OFF}); {@code refused}: the nsqd that refused the container (TLS, AUTH or SUB), by
	 * address, with nsqd's answer; {@code backlog}: the channel's backlog on the nsqd the container consumes
	 * from (null without a {@link ChannelBacklogMonitor}); {@code batch}: a batch listener's batch settings
	 * (null for a listener of single messages).
	 */
	public record ContainerDescriptor(String id, String name, String topic, String channel, String state, int inFlight,
			long finished, long requeued, long deadLettered, long requeuedOnShutdown, long failed, int connections,
			Map<String, String> refused, int concurrency, int maxInFlight, List<String> nsqdAddresses,
			List<String> lookupdAddresses, @Nullable String lastDrain, int backoffLevel, long backoffWindowMillis,
			@Nullable ChannelBacklog backlog, @Nullable BatchDescriptor batch) implements OperationResponseBody {

		static ContainerDescriptor of(NsqMessageListenerContainer container, @Nullable ChannelBacklog backlog) {
			var properties = container.getContainerProperties();
			ListenerStats stats = container.getStats();
			DrainReport drain = container.getLastDrain();
			return new ContainerDescriptor(Long.toString(container.getId()), container.getName(), container.getTopic(),
					container.getChannel(), container.getState().name(), stats.getInFlight(), stats.getFinished(),
					stats.getRequeued(), stats.getDeadLettered(), stats.getRequeuedOnShutdown(), stats.getFailed(),
					container.getConnectionCount(), container.getConnectionRefusals(),
					properties.getConcurrency(), properties.getMaxInFlight(),
					properties.usesLookupd() ? List.of() : properties.getNsqdAddresses(), properties.getLookupdAddresses(),
					(drain != null) ? drain.toString() : null, stats.getBackoffLevel(), stats.getBackoffWindowMillis(), backlog,
					properties.isBatch() ? new BatchDescriptor(properties.getBatchMaxSize(), properties.getBatchMaxWait().toMillis()) : null);
		}

	}

}
