package io.github.nsqspring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.github.nsqspring.core.NsqdStats;
import io.github.nsqspring.core.NsqdStatsReader;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Reads the backlog of every listener's channel from the nsqd it consumes from ({@link NsqdHttpAddresses}
 * says which): one {@code /stats} request per nsqd for all listeners, all nsqd at once. It reads every
 * interval on one daemon thread, from its start until its stop, once something asked to be told of each
 * listener's {@link ListenerBacklog} ({@link #pollContinuously}: the meters); otherwise it reads only when
 * {@link #backlog} is asked (the endpoint), at most once per interval, and keeps no thread. An nsqd that does
 * not answer within the reader's timeout is left out of the sums, with one WARN per outage and one INFO when
 * it answers again. Listeners never wait for it: the containers are only asked which nsqd they are
 * connected to.
 */
public class ChannelBacklogMonitor implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ChannelBacklogMonitor.class);

	private static final int LISTENERS_NAMED = 5;

	private final NsqListenerRegistry registry;

	private final NsqdStatsReader reader;

	private final NsqdHttpAddresses addresses;

	private final Duration interval;

	private final Map<Long, ListenerBacklog> listeners = new ConcurrentHashMap<>();

	private final List<Consumer<ListenerBacklog>> newListenerCallbacks = new CopyOnWriteArrayList<>();

	private final Set<String> unanswering = new HashSet<>();

	private final Object lifecycleMonitor = new Object();

	private volatile @Nullable ScheduledExecutorService scheduler;

	private long lastReadNanos;

	private boolean read;

	/**
	 * @param registry the listener containers
	 * @param reader reads nsqd's {@code /stats} (and nsqlookupd's {@code /nodes}); closed by {@link #close()}
	 * @param nsqdAddresses the configured nsqd TCP addresses (of listeners with direct connections)
	 * @param nsqdHttpAddresses their HTTP addresses, in the same order
	 * @param interval how often to read
	 */
	public ChannelBacklogMonitor(NsqListenerRegistry registry, NsqdStatsReader reader, List<String> nsqdAddresses,
			List<String> nsqdHttpAddresses, Duration interval) {
		this.registry = registry;
		this.reader = reader;
		this.addresses = new NsqdHttpAddresses(nsqdAddresses, nsqdHttpAddresses, reader);
		this.interval = interval;
	}

	/**
	 * Reads every interval from {@link #start()} on, and hands each listener's backlog to the callback
	 * once, when it first reads it (containers registered later included).
	 */
	public synchronized void pollContinuously(Consumer<ListenerBacklog> newListener) {
		this.newListenerCallbacks.add(newListener);
		this.listeners.values().forEach(newListener);
	}

	/**
	 * The last read of the container's channel, or null for a container the monitor does not know; without
	 * continuous reads, reads first when the last read is older than the interval.
	 */
	public @Nullable ChannelBacklog backlog(NsqMessageListenerContainer container) {
		if (this.scheduler == null) {
			readIfStale();
		}
		ListenerBacklog backlog = this.listeners.get(container.getId());
		return (backlog != null) ? backlog.current() : null;
	}

	private synchronized void readIfStale() {
		if (!this.read || System.nanoTime() - this.lastReadNanos >= this.interval.toNanos()) {
			poll();
		}
	}

	/** Reads every nsqd of every listener once, and updates each listener's backlog. */
	synchronized void poll() {
		Collection<NsqMessageListenerContainer> containers = this.registry.getContainers();
		Map<Long, Set<String>> resolved = this.addresses.resolve(containers);
		Map<ListenerBacklog, Set<String>> nsqdOf = new LinkedHashMap<>();
		List<ListenerBacklog> added = new ArrayList<>();
		for (NsqMessageListenerContainer container : containers) {
			ListenerBacklog backlog = this.listeners.get(container.getId());
			if (backlog == null) {
				backlog = new ListenerBacklog(container.getName(), container.getTopic(), container.getChannel());
				this.listeners.put(container.getId(), backlog);
				added.add(backlog);
			}
			Set<String> nsqd = resolved.getOrDefault(container.getId(), Set.of());
			// through nsqlookupd without a connection now (stopped, or between two): the nsqd it had
			nsqdOf.put(backlog, nsqd.isEmpty() ? backlog.nsqd() : nsqd);
		}
		Map<String, CompletableFuture<NsqdStats>> requests = new TreeMap<>();
		nsqdOf.values().forEach((nsqd) -> nsqd.forEach((address) -> requests.computeIfAbsent(address, this.reader::read)));
		Map<String, NsqdStats> answers = new HashMap<>();
		Map<String, String> failures = new HashMap<>();
		requests.forEach((address, request) -> {
			try {
				answers.put(address, request.join());
			}
			catch (CompletionException ex) {
				failures.put(address, describe(ex));
			}
		});
		logOutages(answers.keySet(), failures, nsqdOf);
		Instant now = Instant.now();
		nsqdOf.forEach((backlog, nsqd) -> backlog.update(nsqd, answers, failures, now));
		this.lastReadNanos = System.nanoTime();
		this.read = true;
		added.forEach((backlog) -> this.newListenerCallbacks.forEach((callback) -> callback.accept(backlog)));
	}

	private void logOutages(Set<String> answered, Map<String, String> failures, Map<ListenerBacklog, Set<String>> nsqdOf) {
		failures.forEach((address, failure) -> {
			if (this.unanswering.add(address)) {
				logger.warn("nsqd " + address + " does not answer /stats (" + failure + "): the channel backlog of "
						+ listenersOf(address, nsqdOf) + " leaves it out until it answers");
			}
		});
		for (String address : answered) {
			if (this.unanswering.remove(address)) {
				logger.info("nsqd " + address + " answers /stats again");
			}
		}
		this.unanswering.retainAll(failures.keySet());
	}

	private static String listenersOf(String address, Map<ListenerBacklog, Set<String>> nsqdOf) {
		Set<String> names = new TreeSet<>();
		nsqdOf.forEach((backlog, nsqd) -> {
			if (nsqd.contains(address)) {
				names.add("'" + backlog.listener() + "'");
			}
		});
		List<String> named = names.stream().limit(LISTENERS_NAMED).toList();
		String more = (names.size() > named.size()) ? " and " + (names.size() - named.size()) + " more" : "";
		return ((names.size() == 1) ? "listener " : "listeners ") + String.join(", ", named) + more;
	}

	private String describe(CompletionException failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		if (cause instanceof TimeoutException) {
			return "no answer within " + this.reader.timeout().toMillis() + " ms";
		}
		String message = cause.getMessage();
		if ((cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) && message != null) {
			// the reader's own: the URL and nsqd's status, or what is wrong with the answer
			return message;
		}
		return cause.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	/** Starts reading every interval when {@link #pollContinuously} was asked for; otherwise does nothing. */
	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.scheduler != null || this.newListenerCallbacks.isEmpty()) {
				return;
			}
			ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "nsq-channel-stats");
				thread.setDaemon(true);
				return thread;
			});
			scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, this.interval.toNanos(), TimeUnit.NANOSECONDS);
			this.scheduler = scheduler;
		}
	}

	private void pollQuietly() {
		try {
			poll();
		}
		catch (RuntimeException ex) {
			// a failed read must not end the schedule
			logger.warn("Reading the channel backlog of the NSQ listeners failed", ex);
		}
	}

	@Override
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			ScheduledExecutorService scheduler = this.scheduler;
			if (scheduler != null) {
				scheduler.shutdownNow();
				this.scheduler = null;
			}
		}
	}

	/** Whether it reads every interval. */
	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

	/** Stops reading and closes the reader. */
	public void close() {
		stop();
		this.reader.close();
	}

}
