package io.github.nsqspring.listener;

import java.util.List;

import com.sproutsocial.nsq.Message;
import io.github.nsqspring.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.observation.NsqListenerObservation;
import io.github.nsqspring.observation.NsqListenerObservationContext;
import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Starts the {@code nsq.listener} observation of each message (or batch) of one container and stops it
 * with the outcome. With a no-op registry it creates nothing: every message gets {@link Observation#NOOP}.
 */
final class ListenerObservations {

	private final ContainerProperties properties;

	private final ObservationRegistry registry;

	private final @Nullable NsqListenerObservationConvention convention;

	// an instance of its own: it reuses the key values it built for this container's messages
	private final NsqListenerObservationConvention defaultConvention = new DefaultNsqListenerObservationConvention();

	/**
	 * @param convention the application's convention, or null for the default
	 */
	ListenerObservations(ContainerProperties properties, ObservationRegistry registry,
			@Nullable NsqListenerObservationConvention convention) {
		this.properties = properties;
		this.registry = registry;
		this.convention = convention;
	}

	/** A started observation of the message, or {@link Observation#NOOP}. */
	Observation start(Message delivered, ReceivedBody body) {
		if (this.registry.isNoop()) {
			return Observation.NOOP;
		}
		NsqListenerObservationContext context = new NsqListenerObservationContext(this.properties.getName(),
				this.properties.getTopic(), this.properties.getChannel(), delivered.getId(),
				body.countedAttempts(delivered.getAttempts(), delivered.getTimestamp()), body.headers());
		return NsqListenerObservation.LISTENER_OBSERVATION
			.observation(this.convention, this.defaultConvention, () -> context, this.registry)
			.start();
	}

	/**
	 * A started observation of a batch (its first message's id, attempts and headers, and the batch size),
	 * or {@link Observation#NOOP}.
	 */
	Observation startBatch(List<DeliveredMessage> batch) {
		if (this.registry.isNoop()) {
			return Observation.NOOP;
		}
		DeliveredMessage first = batch.get(0);
		NsqListenerObservationContext context = new NsqListenerObservationContext(this.properties.getName(),
				this.properties.getTopic(), this.properties.getChannel(), first.id(), first.attempts(), first.headers());
		context.setBatchSize(batch.size());
		return NsqListenerObservation.LISTENER_OBSERVATION
			.observation(this.convention, this.defaultConvention, () -> context, this.registry)
			.start();
	}

	/** Stops the observation with the outcome, once: a second outcome (a late FIN after a let-go) is ignored. */
	static void stop(Observation observation, String outcome) {
		if (observation.isNoop()) {
			return;
		}
		NsqListenerObservationContext context = (NsqListenerObservationContext) observation.getContext();
		synchronized (context) {
			if (context.getOutcome() != null) {
				return;
			}
			context.setOutcome(outcome);
		}
		observation.stop();
	}

}
