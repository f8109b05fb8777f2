package io.github.nsqspring.core;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One producer connection to nsqd over a socket with TCP_NODELAY (plain or TLS, compressed or not). Requests
 * are queued and whoever writes takes everything queued and sends it with one flush (consecutive PUBs and MPUBs of one topic as
 * one MPUB, within the batch limits), so many commands are outstanding at once. A sender that waits for its answer writes the queue
 * itself unless another thread is writing it (no thread hand-off on the way out); async requests and
 * heartbeat replies are written by the connection's writer thread, which lets an async burst build up
 * large writes. A reader thread matches nsqd's answers to the requests in order; it never writes, so
 * it keeps draining nsqd's answers while a write blocks. When the connection breaks or a request is
 * overdue, the connection closes and every request not yet answered fails with
 * {@link NsqPublishException}.
 */
final class NsqProducerConnection {

	private static final Log logger = LogFactory.getLog(NsqProducerConnection.class);

	private static final int BUFFER_SIZE = 64 * 1024;

	private static final int MAX_DRAIN = 4096;

	private static final AtomicInteger ids = new AtomicInteger();

	private final NsqAddress address;

	private final boolean preferred;

	private final NsqProducerSettings settings;

	private final Socket socket;

	private final DataOutputStream out;

	private final DataInputStream in;

	private final long openedAtNanos = System.nanoTime();

	private final BlockingQueue<PublishRequest> outbox = new LinkedBlockingQueue<>();

	private final Queue<List<PublishRequest>> awaiting = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final CompletableFuture<Void> drained = new CompletableFuture<>();

	private final AtomicReference<Closure> closure = new AtomicReference<>();

	private final ReentrantLock writeLock = new ReentrantLock();

	private final List<PublishRequest> writing = new ArrayList<>();

	private final Thread writer;

	private volatile boolean writerIdle;

	private volatile boolean draining;

	private volatile long lastHeardNanos = System.nanoTime();

	/**
	 * @param socket the TCP socket, closed to end the connection (that also ends a TLS socket over it at
	 * once, where closing the TLS socket could wait for a blocked writer)
	 * @param connected the streams to talk on: over the TCP socket or the TLS socket layered over it, and
	 * through the compression
	 */
	private NsqProducerConnection(NsqAddress address, boolean preferred, NsqProducerSettings settings, Socket socket,
			NsqProducerHandshake.Connected connected) {
		this.address = address;
		this.preferred = preferred;
		this.settings = settings;
		this.socket = socket;
		this.out = new DataOutputStream(new BufferedOutputStream(connected.out(), BUFFER_SIZE));
		this.in = new DataInputStream(new BufferedInputStream(connected.in(), BUFFER_SIZE));
		this.writer = daemon(this::writeLoop, "nsq-producer-" + ids.incrementAndGet() + "-" + address + "-writer");
	}

	/**
	 * Connects and performs the {@link NsqProducerHandshake handshake} (IDENTIFY, TLS, AUTH), all within
	 * the given time.
	 * @param preferred whether this is the nsqd the connection is meant for rather than a failover
	 */
	static NsqProducerConnection open(NsqAddress address, boolean preferred, int timeoutMillis,
			NsqProducerSettings settings, NsqSecurity security) throws IOException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.setKeepAlive(true);
			socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
			NsqProducerHandshake.Connected connected = NsqProducerHandshake.perform(socket, address,
					settings.heartbeatInterval().toMillis(), settings.compression(), settings.deflateLevel(), security,
					deadline);
			socket.setSoTimeout(0);
			NsqProducerConnection connection = new NsqProducerConnection(address, preferred, settings, socket, connected);
			connection.writer.start();
			daemon(connection::readLoop, connection.writer.getName().replace("-writer", "-reader")).start();
			logger.debug("Connected to nsqd " + address);
			return connection;
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(socket);
			throw ex;
		}
	}

	/** Whether requests may be queued: not closed and not draining. */
	boolean isOpen() {
		return this.closure.get() == null && !this.draining;
	}

	/** Whether this connection landed on a failover nsqd longer ago than the failback interval. */
	boolean isDueForFailback(long nowNanos) {
		return !this.preferred && nowNanos - this.openedAtNanos >= this.settings.failbackInterval().toNanos();
	}

	/**
	 * Queues a request; it fails with {@link NsqPublishException} if the connection is closed.
	 * @param senderWaits whether the sender waits for the answer, and so may as well write the queue
	 * itself; otherwise the writer thread writes it
	 */
	void enqueue(PublishRequest request, boolean senderWaits) {
		request.assignTo(this.address);
		this.pending.incrementAndGet();
		this.outbox.add(request);
		Closure closure = this.closure.get();
		if (closure != null) {
			failUnanswered(closure);
		}
		else if (senderWaits) {
			writeQueued();
		}
		else {
			wakeWriter();
		}
	}

	/**
	 * Stops taking requests; the returned future completes once every queued request is answered or
	 * failed. The connection stays open until {@link #close} is called.
	 */
	CompletableFuture<Void> drain() {
		this.draining = true;
		if (this.pending.get() == 0) {
			this.drained.complete(null);
		}
		return this.drained;
	}

	boolean isClosed() {
		return this.closure.get() != null;
	}

	/**
	 * Closes the connection when a request waits for nsqd longer than the timeout, or when nsqd sent
	 * nothing, not even a heartbeat, for two heartbeat intervals.
	 */
	void closeIfOverdue(long nowNanos) {
		List<PublishRequest> oldestWritten = this.awaiting.peek();
		PublishRequest oldestQueued = this.outbox.peek();
		if ((oldestWritten != null && oldestWritten.get(0).isOverdue(nowNanos))
				|| (oldestQueued != null && oldestQueued.isOverdue(nowNanos))) {
			close("no answer from nsqd within " + this.settings.timeout(), null);
		}
		else if (nowNanos - this.lastHeardNanos > 2 * this.settings.heartbeatInterval().toNanos()) {
			close("no heartbeat from nsqd for " + this.settings.heartbeatInterval().multipliedBy(2), null);
		}
	}

	/**
	 * Closes the socket and fails every request not answered yet with the reason, which names the cause
	 * if there is one.
	 */
	void close(String reason, @Nullable Throwable cause) {
		Closure closure = new Closure(reason, cause);
		if (!this.closure.compareAndSet(null, closure)) {
			return;
		}
		String message = "Closing connection to nsqd " + this.address + ": " + reason;
		int unanswered = this.pending.get();
		if (unanswered > 0) {
			logger.warn(message + "; " + unanswered + " publishes unanswered fail");
		}
		else if (cause != null) {
			logger.info(message);
		}
		else {
			logger.debug(message);
		}
		closeQuietly(this.socket);
		LockSupport.unpark(this.writer);
		failUnanswered(closure);
	}

	private void wakeWriter() {
		if (this.writerIdle) {
			LockSupport.unpark(this.writer);
		}
	}

	private void writeLoop() {
		while (this.closure.get() == null) {
			writeQueued();
			// idle is published before the queue is checked, and a sender queues before it reads idle:
			// either the writer sees the request or the sender sees the idle writer and unparks it. While
			// another thread holds the write lock, that thread writes what is queued once it unlocks.
			this.writerIdle = true;
			if (this.outbox.isEmpty() || this.writeLock.isLocked()) {
				LockSupport.park(this);
			}
			this.writerIdle = false;
		}
	}

	/**
	 * Writes everything queued, in order, unless another thread holds the write lock: that thread
	 * checks the queue again after it unlocked, so nothing queued is left behind. Never called by the
	 * reader thread, which must keep reading nsqd's answers while a write blocks.
	 */
	private void writeQueued() {
		while (!this.outbox.isEmpty() && this.writeLock.tryLock()) {
			try {
				this.outbox.drainTo(this.writing, MAX_DRAIN);
				write(frames(this.writing));
			}
			catch (IOException | RuntimeException ex) {
				close("connection to nsqd lost while writing: " + ex, ex);
			}
			finally {
				this.writing.clear();
				this.writeLock.unlock();
			}
		}
	}

	/**
	 * Cuts queued requests into frames: runs of PUBs and MPUBs of one topic become one MPUB within the
	 * batch limits; a request beyond the limits goes alone, as it is.
	 */
	private List<Frame> frames(List<PublishRequest> batch) {
		List<Frame> frames = new ArrayList<>();
		int start = 0;
		while (start < batch.size()) {
			int end = batchEnd(batch, start);
			List<PublishRequest> requests = List.copyOf(batch.subList(start, end));
			frames.add(new Frame(command(requests), requests));
			start = end;
		}
		return frames;
	}

	private int batchEnd(List<PublishRequest> batch, int start) {
		NsqCommand first = batch.get(start).command();
		int end = start + 1;
		if (!first.isMergeable()) {
			return end;
		}
		int messages = first.bodies().size();
		long size = MpubBatcher.bodySize(first.bodies());
		while (end < batch.size()) {
			NsqCommand next = batch.get(end).command();
			if (!next.isMergeable() || !next.topic().equals(first.topic())) {
				break;
			}
			// without its own 4-byte message count
			long nextSize = MpubBatcher.bodySize(next.bodies()) - 4;
			if (MpubBatcher.exceeds(messages + next.bodies().size(), size + nextSize, this.settings.batchMaxMessages(),
					this.settings.batchMaxBytes())) {
				break;
			}
			messages += next.bodies().size();
			size += nextSize;
			end++;
		}
		return end;
	}

	private static NsqCommand command(List<PublishRequest> requests) {
		if (requests.size() == 1) {
			return requests.get(0).command();
		}
		List<byte[]> bodies = new ArrayList<>();
		for (PublishRequest request : requests) {
			bodies.addAll(request.command().bodies());
		}
		return NsqCommand.mpub(requests.get(0).topic(), bodies);
	}

	private void write(List<Frame> frames) throws IOException {
		// registered before writing, so that an answer, however fast, finds its request
		for (Frame frame : frames) {
			if (frame.command().expectsResponse()) {
				this.awaiting.add(frame.requests());
			}
		}
		Closure closure = this.closure.get();
		if (closure != null) {
			failUnanswered(closure);
			return;
		}
		for (Frame frame : frames) {
			frame.command().writeTo(this.out);
		}
		this.out.flush();
	}

	private void readLoop() {
		try {
			while (true) {
				NsqWire.Frame frame = NsqWire.readFrame(this.in);
				this.lastHeardNanos = System.nanoTime();
				if (frame.isHeartbeat()) {
					this.outbox.add(PublishRequest.heartbeatReply());
					wakeWriter();
					continue;
				}
				List<PublishRequest> requests = this.awaiting.poll();
				if (requests == null) {
					throw new IOException("nsqd sent " + frame + " while no publish was outstanding");
				}
				if (frame.isOk()) {
					requests.forEach((request) -> request.result().complete(null));
					answered(requests.size());
				}
				else {
					// every error is fatal for nsqd: it closes the connection and ignores what followed,
					// so this connection takes no more requests before its sender learns of the error
					close("nsqd closed the connection after an error on an earlier command: " + frame.text(), null);
					fail(requests, new Closure("nsqd answered " + frame + " to " + command(requests), null));
					return;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// the reason names what nsqd sent wrong (a malformed frame, an answer to nothing) to every publish it fails
			close("connection to nsqd lost: " + ex, ex);
		}
	}

	private void failUnanswered(Closure reason) {
		for (PublishRequest request = this.outbox.poll(); request != null; request = this.outbox.poll()) {
			if (request.command().expectsResponse()) {
				fail(List.of(request), reason);
			}
		}
		for (List<PublishRequest> requests = this.awaiting.poll(); requests != null; requests = this.awaiting.poll()) {
			fail(requests, reason);
		}
	}

	private void fail(List<PublishRequest> requests, Closure reason) {
		for (PublishRequest request : requests) {
			request.result()
				.completeExceptionally(new NsqPublishException(request.topic(), this.address.toString(), reason.reason(),
						reason.cause()));
		}
		answered(requests.size());
	}

	private void answered(int count) {
		if (this.pending.addAndGet(-count) == 0 && this.draining) {
			this.drained.complete(null);
		}
	}

	@Override
	public String toString() {
		return "NsqProducerConnection[" + this.address + ", pending=" + this.pending.get() + "]";
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private record Frame(NsqCommand command, List<PublishRequest> requests) {
	}

	private record Closure(String reason, @Nullable Throwable cause) {
	}

}
