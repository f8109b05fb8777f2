package io.github.nsqspring.listener;

import java.util.Objects;
import java.util.concurrent.Executor;

import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link MessageDispatcher} of each run of one container from what stays the same across its
 * runs: the listener, its error and dead-letter handlers, the container's counters and the observers set on it.
 * Observers set while a run is under way apply from the next run.
 */
final class DispatcherFactory {

	/** The fewest messages a batch listener remembers requeuing without counting a failure. */
	private static final int UNCOUNTED_CAPACITY = 10_000;

	private final ContainerProperties properties;

	private final @Nullable NsqMessageListener listener;

	private final @Nullable NsqBatchMessageListener batchListener;

	private final UncountedDeliveries uncounted;

	private final NsqDeadLetterHandler deadLetterHandler;

	private final NsqErrorHandler errorHandler;

	private final ListenerStats stats;

	private final boolean observationEnabled;

	private volatile MessageObserver.OutcomeObserver outcomeObserver = MessageObserver.OutcomeObserver.NONE;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile @Nullable NsqListenerObservationConvention observationConvention;

	private volatile @Nullable Executor taskExecutor;

	/**
	 * @param properties the container's settings; whether they enable observations, and the error handler (or
	 * the default one's settings), are read once, here
	 * @param stats the container's counters
	 */
	DispatcherFactory(ContainerProperties properties, NsqMessageListener listener, NsqDeadLetterHandler deadLetterHandler,
			ListenerStats stats) {
		this(properties, listener, null, deadLetterHandler, stats);
	}

	/** A factory of the dispatchers of a batch listener (its properties say batch). */
	DispatcherFactory(ContainerProperties properties, NsqBatchMessageListener listener, NsqDeadLetterHandler deadLetterHandler,
			ListenerStats stats) {
		this(properties, null, listener, deadLetterHandler, stats);
	}

	private DispatcherFactory(ContainerProperties properties, @Nullable NsqMessageListener listener,
			@Nullable NsqBatchMessageListener batchListener, NsqDeadLetterHandler deadLetterHandler, ListenerStats stats) {
		this.properties = properties;
		this.listener = listener;
		this.batchListener = batchListener;
		// remembered across runs: a message requeued by one run may come back to the next
		this.uncounted = new UncountedDeliveries(Math.max(UNCOUNTED_CAPACITY, 4 * properties.getMaxInFlight()));
		this.deadLetterHandler = deadLetterHandler;
		NsqErrorHandler errorHandler = properties.getErrorHandler();
		this.errorHandler = (errorHandler != null) ? errorHandler : DefaultNsqErrorHandler.of(properties);
		this.stats = stats;
		this.observationEnabled = properties.isObservationEnabled();
	}

	/** The observer of the container's counters and outcomes (null for none); it observes the container once, here. */
	void setMessageObserver(@Nullable MessageObserver observer) {
		this.outcomeObserver = (observer != null) ? observer.observe(this.properties, this.stats)
				: MessageObserver.OutcomeObserver.NONE;
	}

	/** The registry of the {@code nsq.listener} observations (null for none); used only when observations are enabled. */
	void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observationRegistry = (observationRegistry != null) ? observationRegistry : ObservationRegistry.NOOP;
	}

	/** The convention of those observations, or null for the default. */
	void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/** Runs the handlers; null for a pool of each run's own. */
	void setTaskExecutor(@Nullable Executor taskExecutor) {
		this.taskExecutor = taskExecutor;
	}

	/**
	 * A dispatcher, with handler workers of its own, for the next run.
	 * @param scheduler the run's scheduler, which times a batch listener's batches
	 */
	MessageDispatcher create(BatchIntake.Scheduler scheduler) {
		ObservationRegistry registry = this.observationEnabled ? this.observationRegistry : ObservationRegistry.NOOP;
		ListenerObservations observations = new ListenerObservations(this.properties, registry, this.observationConvention);
		if (this.batchListener != null) {
			return new MessageDispatcher(this.properties, this.batchListener, this.deadLetterHandler, this.errorHandler, this.stats,
					this.outcomeObserver, observations, this.taskExecutor, scheduler, this.uncounted);
		}
		return new MessageDispatcher(this.properties, Objects.requireNonNull(this.listener, "listener"), this.deadLetterHandler,
				this.errorHandler, this.stats, this.outcomeObserver, observations, this.taskExecutor);
	}

}
