package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.github.nsqspring.support.RangeChecks;
import io.github.nsqspring.support.SnowflakeIdGenerator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Holds every listener container of the application, keyed by a snowflake id, with the listener name
 * as an alias. As a {@link SmartLifecycle} in phase {@link NsqMessageListenerContainer#LISTENER_PHASE} it
 * starts the containers late and stops them early; {@link #stop(Runnable)} drains all of them at once,
 * so shutdown takes as long as the slowest container, not the sum.
 */
public class NsqListenerRegistry implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(NsqListenerRegistry.class);

	/** How long {@link StartupFailurePolicy#RETRY} waits unless told otherwise. */
	public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private final SnowflakeIdGenerator idGenerator;

	private final Map<Long, NsqMessageListenerContainer> containers = new ConcurrentSkipListMap<>();

	private final Map<String, Long> idsByName = new ConcurrentHashMap<>();

	private final Object lifecycleMonitor = new Object();

	private volatile boolean running;

	private StartupFailurePolicy startupFailurePolicy = StartupFailurePolicy.CONTINUE;

	private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

	private ContainerEvents containerEvents = ContainerEvents.NONE;

	public NsqListenerRegistry(SnowflakeIdGenerator idGenerator) {
		this.idGenerator = idGenerator;
	}

	/**
	 * What {@link #start()} does when a container it started has no nsqd connection; default
	 * {@link StartupFailurePolicy#CONTINUE}.
	 */
	public void setStartupFailurePolicy(StartupFailurePolicy startupFailurePolicy) {
		this.startupFailurePolicy = startupFailurePolicy;
	}

	/** How long {@link StartupFailurePolicy#RETRY} waits for every container's connection; default 30 s. */
	public void setStartupTimeout(Duration startupTimeout) {
		this.startupTimeout = RangeChecks.positive("startupTimeout", startupTimeout);
	}

	/** Who is told when the startup policy fails a container (the containers tell their other events themselves). */
	public void setContainerEvents(ContainerEvents containerEvents) {
		this.containerEvents = containerEvents;
	}

	/** A new unique container id. */
	public long nextContainerId() {
		return this.idGenerator.nextId();
	}

	/**
	 * Adds a container, and starts it when the registry runs and the container starts automatically.
	 * @throws IllegalStateException when another container has the same id or name
	 */
	public void registerListenerContainer(NsqMessageListenerContainer container) {
		boolean startNow;
		synchronized (this.lifecycleMonitor) {
			if (this.containers.containsKey(container.getId())) {
				throw new IllegalStateException("Another NSQ listener container is already registered with id " + container.getId());
			}
			Long existing = this.idsByName.putIfAbsent(container.getName(), container.getId());
			if (existing != null) {
				throw new IllegalStateException("Another NSQ listener is already registered with id '" + container.getName()
						+ "': " + this.containers.get(existing));
			}
			this.containers.put(container.getId(), container);
			startNow = this.running && container.isAutoStartup();
		}
		if (startNow) {
			startUnlessStopped(container);
		}
	}

	/** Every container, in registration order. */
	public Collection<NsqMessageListenerContainer> getContainers() {
		return List.copyOf(this.containers.values());
	}

	/** The container with this snowflake id. */
	public Optional<NsqMessageListenerContainer> getContainer(long id) {
		return Optional.ofNullable(this.containers.get(id));
	}

	/** The container with this listener name, or whose snowflake id this is in decimal. */
	public Optional<NsqMessageListenerContainer> getContainer(String nameOrId) {
		Long id = this.idsByName.get(nameOrId);
		if (id == null && nameOrId != null && nameOrId.chars().allMatch(Character::isDigit) && !nameOrId.isEmpty()) {
			try {
				id = Long.parseLong(nameOrId);
			}
			catch (NumberFormatException ex) {
				return Optional.empty();
			}
		}
		return (id != null) ? getContainer(id) : Optional.empty();
	}

	@Override
	public int getPhase() {
		return NsqMessageListenerContainer.LISTENER_PHASE;
	}

	@Override
	public boolean isAutoStartup() {
		return true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void start() {
		List<NsqMessageListenerContainer> autoStart;
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			autoStart = this.containers.values().stream().filter(NsqMessageListenerContainer::isAutoStartup).toList();
		}
		if (!autoStart.isEmpty()) {
			logger.info("Starting " + autoStart.size() + " NSQ listener container(s) "
					+ autoStart.stream().map((c) -> c.getName() + " (" + c.getTopic() + "/" + c.getChannel() + ")")
						.collect(Collectors.joining(", "))
					+ " via " + autoStart.get(0).getContainerProperties().describeConnection());
		}
		autoStart.forEach(this::startUnlessStopped);
		applyStartupPolicy(autoStart);
	}

	/**
	 * Under STOP or RETRY, fails the start when a container has no nsqd connection: a failed-to-start event
	 * for each such container, every container stopped, and an exception naming each listener and what its
	 * addresses answered.
	 */
	private void applyStartupPolicy(List<NsqMessageListenerContainer> started) {
		Map<NsqMessageListenerContainer, IllegalStateException> failures = new StartupConnectionCheck(
				this.startupFailurePolicy, this.startupTimeout).failures(started);
		if (failures.isEmpty()) {
			return;
		}
		IllegalStateException failure = new IllegalStateException(failures.size() + " NSQ listener(s) without an nsqd "
				+ "connection; stopping all of them:\n" + failures.values().stream().map(Throwable::getMessage)
					.collect(Collectors.joining("\n")));
		failures.values().forEach(failure::addSuppressed);
		failures.forEach((container, cause) -> {
			ContainerEventSender sender = new ContainerEventSender(container.getName());
			sender.setEvents(this.containerEvents);
			sender.send("failed-to-start", (listener) -> listener.failedToStart(container, cause));
		});
		stop();
		throw failure;
	}

	/**
	 * Starts a container outside the registry's lock, which stopping needs (a start may wait for an
	 * nsqlookupd that does not answer), and stops it again when the registry stopped meanwhile.
	 */
	private void startUnlessStopped(NsqMessageListenerContainer container) {
		if (this.running) {
			container.start();
			if (!this.running) {
				container.stop();
			}
		}
	}

	/**
	 * Drains every container at once and returns when all are stopped, or with a WARN after the longest
	 * shutdown timeout of the containers plus a margin (the drains go on).
	 */
	@Override
	public void stop() {
		Duration longest = this.containers.values().stream()
			.map((container) -> container.getContainerProperties().getShutdownTimeout())
			.max(Duration::compareTo)
			.orElse(ContainerProperties.DEFAULT_SHUTDOWN_TIMEOUT);
		StopAndWait.stop(this, longest);
	}

	/**
	 * Drains every running container concurrently and runs the callback exactly once when the last one
	 * has stopped: at once when there are no running containers, also when a container fails to stop.
	 */
	@Override
	public void stop(Runnable callback) {
		List<NsqMessageListenerContainer> toStop;
		synchronized (this.lifecycleMonitor) {
			this.running = false;
			toStop = List.copyOf(this.containers.values());
		}
		AggregatingCallback aggregate = new AggregatingCallback(toStop.size(), callback);
		if (toStop.isEmpty()) {
			callback.run();
			return;
		}
		for (NsqMessageListenerContainer container : toStop) {
			Runnable once = new OnceRunnable(aggregate);
			try {
				container.stop(once);
			}
			catch (RuntimeException ex) {
				logger.error("Failed to stop NSQ listener container " + container, ex);
				once.run();
			}
		}
	}

	/** Runs the delegate on the first call only, so a container that fails after calling back is counted once. */
	private static final class OnceRunnable implements Runnable {

		private final AtomicBoolean done = new AtomicBoolean();

		private final Runnable delegate;

		OnceRunnable(Runnable delegate) {
			this.delegate = delegate;
		}

		@Override
		public void run() {
			if (this.done.compareAndSet(false, true)) {
				this.delegate.run();
			}
		}

	}

	/** Runs the delegate once, when it has been run {@code count} times. */
	private static final class AggregatingCallback implements Runnable {

		private final AtomicInteger remaining;

		private final Runnable delegate;

		AggregatingCallback(int count, Runnable delegate) {
			this.remaining = new AtomicInteger(count);
			this.delegate = delegate;
		}

		@Override
		public void run() {
			if (this.remaining.decrementAndGet() == 0) {
				this.delegate.run();
			}
		}

	}

}
