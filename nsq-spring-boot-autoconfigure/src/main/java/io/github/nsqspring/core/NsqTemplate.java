package io.github.nsqspring.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

import io.github.nsqspring.observation.NsqTemplateObservationConvention;
import io.github.nsqspring.support.NsqNames;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Thread-safe {@link NsqOperations} on the starter's own producer connections: a pool of
 * {@link NsqProducerSettings#connections() connections} with TCP_NODELAY, each with many publishes
 * outstanding at once, opened lazily, reopened after nsqd restarts, failing over to the second nsqd
 * address. Arguments are validated before anything is sent. At most
 * {@link NsqProducerSettings#maxPending()} bytes of bodies are queued or await nsqd's answer: a publish
 * beyond it waits for room until its timeout, then fails with {@link NsqPublishException}.
 *
 * <p>As a {@link SmartLifecycle} it stops in phase {@link #PHASE}, after the listener containers (so a
 * draining listener can still publish): it waits for pending publishes (at most the timeout), then
 * closes its connections. A publish after that throws {@link IllegalStateException}; publishing before
 * {@link #start()} is allowed.
 *
 * <p>Futures of the async methods complete on a connection's reader thread: keep callbacks short or
 * use the {@code *Async} variants of {@link CompletableFuture}. A callback must not call the
 * synchronous methods: it would wait for an answer that its own thread has to read.
 */
public class NsqTemplate implements NsqOperations, SmartLifecycle, DisposableBean {

	/** Lower than the listener registry's {@code Integer.MAX_VALUE - 100}, so the template stops after it. */
	public static final int PHASE = Integer.MAX_VALUE - 200;

	private final NsqProducerSettings settings;

	private final NsqMessageConverter converter;

	private final NsqSecurity security;

	private final PendingBytes pending;

	private final ReadWriteLock lifecycleLock = new ReentrantReadWriteLock();

	private @Nullable NsqProducerPool pool;

	private volatile boolean running;

	private volatile PublishObserver publishObserver = PublishObserver.NONE;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile @Nullable NsqTemplateObservationConvention observationConvention;

	private volatile boolean published;

	private volatile NsqEnvelopeTopics envelopeTopics = NsqEnvelopeTopics.NONE;

	public NsqTemplate(NsqProducerSettings settings, NsqMessageConverter converter) {
		this(settings, converter, NsqSecurity.NONE);
	}

	/**
	 * A template whose connections use TLS and AUTH as the security says.
	 */
	public NsqTemplate(NsqProducerSettings settings, NsqMessageConverter converter, NsqSecurity security) {
		this.settings = settings;
		this.converter = converter;
		this.security = security;
		this.pending = new PendingBytes(settings.maxPending());
		this.pool = new NsqProducerPool(settings, security);
	}

	/** Sets the observer told about every publish (metrics). */
	public void setPublishObserver(PublishObserver publishObserver) {
		this.publishObserver = (publishObserver != null) ? publishObserver : PublishObserver.NONE;
	}

	/**
	 * The registry of the {@code nsq.template} observation of every publish (default: no-op, which creates
	 * none).
	 */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observationRegistry = (observationRegistry != null) ? observationRegistry : ObservationRegistry.NOOP;
	}

	/**
	 * The topics whose messages get an {@link NsqEnvelope} (default: none): with headers of {@code Message}
	 * payloads, {@code content-type}, the trace context of the {@code nsq.template} observation and, for
	 * deferred ones, {@code nsq-not-before}.
	 */
	public void setEnvelopeTopics(NsqEnvelopeTopics envelopeTopics) {
		this.envelopeTopics = envelopeTopics;
	}

	/** The convention of those observations, or null for {@code DefaultNsqTemplateObservationConvention}. */
	public void setObservationConvention(@Nullable NsqTemplateObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Whether a publish was attempted: from then on the configured nsqd matter to the application's health,
	 * also when its consumers discover nsqd through nsqlookupd.
	 */
	public boolean hasPublished() {
		return this.published;
	}

	/**
	 * Bytes of message bodies queued or awaiting nsqd's answer; at most {@link NsqProducerSettings#maxPending()}
	 * (unless one publish alone is larger).
	 */
	public long getPendingBytes() {
		return this.pending.pending();
	}

	@Override
	public void send(String topic, Object payload) {
		String valid = validTopic(topic);
		awaitAnswer(publish("send", valid, (headers) -> NsqCommand.pub(valid, body(valid, payload, headers)), true));
	}

	@Override
	public CompletableFuture<Void> sendAsync(String topic, Object payload) {
		String valid = validTopic(topic);
		return publishAsync("sendAsync", valid, (headers) -> NsqCommand.pub(valid, body(valid, payload, headers)));
	}

	@Override
	public void sendBatch(String topic, List<?> payloads) {
		String valid = validTopic(topic);
		awaitAnswer(publish("sendBatch", valid, (headers) -> NsqCommand.mpub(valid, bodies(valid, payloads, headers)), true));
	}

	@Override
	public CompletableFuture<Void> sendBatchAsync(String topic, List<?> payloads) {
		String valid = validTopic(topic);
		return publishAsync("sendBatchAsync", valid, (headers) -> NsqCommand.mpub(valid, bodies(valid, payloads, headers)));
	}

	@Override
	public void sendDeferred(String topic, Object payload, Duration delay) {
		String valid = validTopic(topic);
		awaitAnswer(publish("sendDeferred", valid, (headers) -> deferred(valid, payload, delay, headers), true));
	}

	@Override
	public CompletableFuture<Void> sendDeferredAsync(String topic, Object payload, Duration delay) {
		String valid = validTopic(topic);
		return publishAsync("sendDeferredAsync", valid, (headers) -> deferred(valid, payload, delay, headers));
	}

	private NsqCommand deferred(String topic, Object payload, Duration delay, @Nullable Map<String, String> headers) {
		long millis = delayMillis(topic, delay);
		Map<String, String> envelope = headers;
		if (envelope != null) {
			envelope = new LinkedHashMap<>(envelope);
			envelope.put(NsqEnvelope.NOT_BEFORE, Long.toString(System.currentTimeMillis() + millis));
		}
		return NsqCommand.dpub(topic, body(topic, payload, envelope), millis);
	}

	private static String validTopic(String topic) {
		return NsqNames.requireValidTopic(topic);
	}

	private byte[] body(String topic, Object payload, @Nullable Map<String, String> headers) {
		return NsqMessageBodies.toBody(this.converter, "publish", topic, payload, this.settings.maxMessageSize(), headers);
	}

	private List<byte[]> bodies(String topic, List<?> payloads, @Nullable Map<String, String> headers) {
		if (payloads == null || payloads.isEmpty()) {
			throw new IllegalArgumentException("Cannot publish an empty batch to topic '" + topic + "'");
		}
		List<byte[]> bodies = new ArrayList<>(payloads.size());
		for (Object payload : payloads) {
			bodies.add(body(topic, payload, headers));
		}
		long size = MpubBatcher.bodySize(bodies);
		if (size > this.settings.maxBodySize()) {
			throw new IllegalArgumentException("Batch of " + bodies.size() + " messages (" + size + " bytes) for topic '"
					+ topic + "' exceeds nsqd's max body size of " + this.settings.maxBodySize()
					+ " bytes (nsq.producer.max-body-size)");
		}
		return bodies;
	}

	private long delayMillis(String topic, Duration delay) {
		if (delay == null || delay.isNegative()) {
			throw new IllegalArgumentException("Delay " + delay + " for topic '" + topic + "' is not a duration of 0 or more");
		}
		if (delay.compareTo(this.settings.maxDeferral()) > 0) {
			throw new IllegalArgumentException("Delay " + delay + " for topic '" + topic + "' exceeds nsqd's maximum of "
					+ this.settings.maxDeferral() + " (nsq.producer.max-deferral)");
		}
		return delay.toMillis();
	}

	private CompletableFuture<Void> publishAsync(String operation, String topic, Function<@Nullable Map<String, String>, NsqCommand> command) {
		try {
			return publish(operation, topic, command, false).settled();
		}
		catch (NsqPublishException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Publishes the command built from the envelope headers (null when the topic gets no envelope). Without an
	 * envelope the command is built before the observation starts, as ever; with one, after it started, so that
	 * tracing has written the trace context into the headers.
	 */
	private PublishRequest publish(String operation, String topic, Function<@Nullable Map<String, String>, NsqCommand> build,
			boolean senderWaits) {
		ObservationRegistry registry = this.observationRegistry;
		Map<String, String> headers = null;
		if (this.envelopeTopics.appliesTo(topic)) {
			// the carrier of the trace context; without observations nothing writes into it
			headers = registry.isNoop() ? Map.of() : new LinkedHashMap<>();
		}
		NsqCommand built = (headers == null) ? build.apply(null) : null;
		if (!this.published) {
			this.published = true;
		}
		long start = System.nanoTime();
		long deadline = start + this.settings.timeout().toNanos();
		Observation observation = PublishObservations.start(registry, this.observationConvention, topic,
				operation, headers);
		NsqCommand command;
		PublishRequest request;
		try {
			command = (built != null) ? built : build.apply(headers);
			long bytes = command.bodyBytes();
			awaitRoom(command.topic(), bytes, deadline);
			request = enqueue(command, bytes, deadline, senderWaits);
		}
		catch (NsqPublishException ex) {
			this.publishObserver.published(topic, operation, ex, System.nanoTime() - start);
			PublishObservations.stop(observation, ex);
			throw ex;
		}
		catch (RuntimeException ex) {
			PublishObservations.stop(observation, ex);
			throw ex;
		}
		PublishObserver observer = this.publishObserver;
		if (observer != PublishObserver.NONE || !observation.isNoop()) {
			request.result().whenComplete((ignored, failure) -> {
				observer.published(topic, operation, failure, System.nanoTime() - start);
				PublishObservations.stop(observation, failure);
			});
		}
		return request;
	}

	/** Queues the command whose bytes were counted as pending; they stop counting once nsqd answered. */
	private PublishRequest enqueue(NsqCommand command, long bytes, long deadline, boolean senderWaits) {
		PublishRequest request;
		Lock lock = this.lifecycleLock.readLock();
		lock.lock();
		try {
			if (this.pool == null) {
				throw new IllegalStateException("NsqTemplate is stopped; cannot publish to topic '" + command.topic() + "'");
			}
			request = this.pool.publish(command, deadline, senderWaits);
		}
		catch (RuntimeException ex) {
			this.pending.release(bytes);
			throw ex;
		}
		finally {
			lock.unlock();
		}
		// released before the sender sees the answer: a publish it saw end no longer counts as pending
		request.whenDone(() -> this.pending.release(bytes));
		return request;
	}

	private void awaitRoom(String topic, long bytes, long deadlineNanos) {
		try {
			if (!this.pending.acquire(bytes, deadlineNanos)) {
				throw new NsqPublishException(topic, this.settings.nsqdAddresses().toString(),
						"still " + this.pending.pending() + " bytes of publishes pending after " + this.settings.timeout()
								+ ", no room for " + bytes + " more below nsq.producer.max-pending ("
								+ this.pending.limit() + " bytes): nsqd answers slower than messages are published",
						null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NsqPublishException(topic, this.settings.nsqdAddresses().toString(),
					"interrupted while waiting for room below nsq.producer.max-pending", ex);
		}
	}

	private void awaitAnswer(PublishRequest request) {
		try {
			request.settled().get(Math.max(0, request.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			// a connection fails its requests with NsqPublishException only
			throw (NsqPublishException) ex.getCause();
		}
		catch (TimeoutException ex) {
			throw new NsqPublishException(request.topic(), String.valueOf(request.address()),
					"no answer from nsqd within " + this.settings.timeout(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new NsqPublishException(request.topic(), String.valueOf(request.address()),
					"interrupted while waiting for nsqd's answer", ex);
		}
	}

	@Override
	public void start() {
		Lock lock = this.lifecycleLock.writeLock();
		lock.lock();
		try {
			if (this.pool == null) {
				this.pool = new NsqProducerPool(this.settings, this.security);
			}
			this.running = true;
		}
		finally {
			lock.unlock();
		}
	}

	/** Rejects new publishes, waits for pending ones (at most the timeout) and closes the connections. */
	@Override
	public void stop() {
		NsqProducerPool stopped;
		Lock lock = this.lifecycleLock.writeLock();
		lock.lock();
		try {
			stopped = this.pool;
			this.pool = null;
			this.running = false;
		}
		finally {
			lock.unlock();
		}
		if (stopped != null) {
			stopped.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/** Stops the template when the context is closed without having been started. */
	@Override
	public void destroy() {
		stop();
	}

	@Override
	public String toString() {
		return "NsqTemplate" + this.settings.nsqdAddresses();
	}

}
