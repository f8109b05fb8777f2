package com.sproutsocial.nsq;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.nsqspring.core.NsqConsumerSettings;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks each frame nsqd sends on a listener connection before nsq-j 1.2 reads it, and closes the
 * connection on a fault. nsq-j allocates whatever size a frame announces and takes any response as the
 * answer to its next command; this stream sits between nsq-j's read thread and the connection's decoded
 * input (after TLS, snappy or deflate), reads that through a buffer of its own (nsq-j reads headers byte by
 * byte) and lets a frame through only when:
 * <ul>
 * <li>its size is 4 bytes to {@link #MAX_FRAME_SIZE} (checked before anything is allocated for it);</li>
 * <li>its type is a response, an error or a message (a message at least 30 bytes: its header);</li>
 * <li>a response is {@code _heartbeat_}, the first {@code OK} (the answer to SUB) or {@code CLOSE_WAIT} once
 * {@link #expectCloseWait() CLS was sent}: a consumer sends no other command that nsqd answers, so any
 * other response is unsolicited.</li>
 * </ul>
 * Otherwise it logs one ERROR naming the listener and nsqd, closes the connection (nsq-j's subscriber then
 * reconnects and nsqd redelivers the messages that were in flight on it) and fails the read. It also
 * records when nsqd was last heard, for {@link HeartbeatWatch}.
 */
@NullMarked
final class FrameGuard extends InputStream {

	/**
	 * Largest frame accepted: a message body of up to 64 MiB minus its 26-byte header, far above nsqd's
	 * default {@code --max-msg-size} of 1 MiB (nsqd does not announce its setting).
	 */
	static final int MAX_FRAME_SIZE = 64 * 1024 * 1024;

	/** nsqd's answers to a consumer are short words. */
	private static final int MAX_RESPONSE_SIZE = 1024;

	/**
	 * Holds a frame's header and a whole response (at most {@link #MAX_RESPONSE_SIZE}); nsq-j's own 8 KiB
	 * buffer below batches the socket reads, and larger bodies go straight into nsq-j's array.
	 */
	private static final int BUFFER_SIZE = 2048;

	private static final int FRAME_TYPE_RESPONSE = 0;

	private static final int FRAME_TYPE_ERROR = 1;

	private static final int FRAME_TYPE_MESSAGE = 2;

	/** Size and type of a frame; a message's data then starts with timestamp, attempts and id. */
	private static final int MESSAGE_MIN_SIZE = 4 + 8 + 2 + 16;

	private static final Logger logger = LoggerFactory.getLogger(NsqConsumerSettings.LOG_CATEGORY);

	private final SubConnection connection;

	private final String listener;

	private final Duration heartbeatInterval;

	private final InputStream source;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile long lastHeardNanos = System.nanoTime();

	private volatile boolean subscribed;

	private volatile boolean closeWaitExpected;

	/** What was read from the source and not yet by nsq-j: {@code [position, limit)}. */
	private final byte[] buffer = new byte[BUFFER_SIZE];

	private int position;

	private int limit;

	/** Bytes of the current frame, its size field included, that nsq-j has not read yet. */
	private int frameRemaining;

	private final ReadyDistributor.@Nullable Lane lane;

	/**
	 * @param lane the connection's lane of the backlog-aware RDY distribution, told of each message on the
	 * reader thread; null without
	 */
	FrameGuard(SubConnection connection, String listener, Duration heartbeatInterval, InputStream source,
			ReadyDistributor.@Nullable Lane lane) {
		this.lane = lane;
		this.connection = connection;
		this.listener = listener;
		this.heartbeatInterval = heartbeatInterval;
		this.source = source;
	}

	@Override
	public int read() throws IOException {
		if (!startFrameIfDone()) {
			return -1;
		}
		if (this.position == this.limit && fill(0) < 0) {
			throw new EOFException("nsqd closed the connection within a frame");
		}
		this.frameRemaining--;
		return this.buffer[this.position++] & 0xff;
	}

	@Override
	public int read(byte[] target, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		if (!startFrameIfDone()) {
			return -1;
		}
		int wanted = Math.min(length, this.frameRemaining);
		if (this.position == this.limit) {
			if (wanted >= BUFFER_SIZE) {
				// a large body goes straight into nsq-j's array
				int read = readSource(target, offset, wanted);
				if (read > 0) {
					this.frameRemaining -= read;
					heard();
				}
				return read;
			}
			if (fill(0) < 0) {
				return -1;
			}
		}
		int count = Math.min(wanted, this.limit - this.position);
		System.arraycopy(this.buffer, this.position, target, offset, count);
		this.position += count;
		this.frameRemaining -= count;
		return count;
	}

	@Override
	public void close() throws IOException {
		this.source.close();
	}

	/** The next {@code CLOSE_WAIT} answers this client's CLS; call it before sending CLS. */
	void expectCloseWait() {
		this.closeWaitExpected = true;
	}

	/** Whether nsqd accepted the subscription (answered SUB with OK) on this connection. */
	boolean isSubscribed() {
		return this.subscribed;
	}

	/** Whether nsqd has sent nothing, not even a heartbeat, for two heartbeat intervals. */
	boolean isSilentTooLong(long nowNanos) {
		return silentNanos(nowNanos) >= 2 * this.heartbeatInterval.toNanos();
	}

	/**
	 * Closes the connection of an nsqd that has been silent too long, with one WARN (none when the
	 * connection was closed for another fault already).
	 */
	void closeSilent() {
		if (this.closed.compareAndSet(false, true)) {
			logger.warn("Listener '{}' heard nothing from nsqd {} for {} ms (heartbeat interval {}): closing the connection;"
					+ " it reconnects, and nsqd redelivers the messages that were in flight on it", this.listener,
					this.connection.getHost(), TimeUnit.NANOSECONDS.toMillis(silentNanos(System.nanoTime())),
					this.heartbeatInterval);
			abort(this.connection, "nsqd silent");
		}
	}

	/**
	 * Closes a connection, and ends at once a wait of nsq-j's handshake for nsqd's answer to SUB (nsq-j's
	 * read thread, which would pass that answer on, ends quietly when the connection is closed).
	 */
	static void abort(SubConnection connection, String reason) {
		connection.close();
		connection.respQueue.offer(reason);
	}

	/**
	 * Whether a frame is left to read; checks the start of the next one (in the buffer, before nsq-j reads
	 * any of it) when the last one is done.
	 */
	private boolean startFrameIfDone() throws IOException {
		if (this.frameRemaining > 0) {
			return true;
		}
		if (!buffered(4)) {
			return false;
		}
		int size = intAt(this.position);
		if (size < 4 || size > MAX_FRAME_SIZE) {
			throw reject("Invalid frame size " + size + " (a frame is 4 bytes to " + MAX_FRAME_SIZE + ")");
		}
		requireBuffered(8);
		int type = intAt(this.position + 4);
		if (type == FRAME_TYPE_RESPONSE) {
			if (size - 4 > MAX_RESPONSE_SIZE) {
				throw reject("Response frame of " + size + " bytes (nsqd answers a consumer with short words)");
			}
			requireBuffered(4 + size);
			checkResponse(new String(this.buffer, this.position + 8, size - 4, StandardCharsets.US_ASCII));
		}
		else if (type == FRAME_TYPE_MESSAGE && size < MESSAGE_MIN_SIZE) {
			throw reject("Message frame of " + size + " bytes, shorter than a message header");
		}
		else if (type == FRAME_TYPE_MESSAGE && this.lane != null) {
			this.lane.reading();
		}
		else if (type != FRAME_TYPE_MESSAGE && type != FRAME_TYPE_ERROR) {
			throw reject("Unexpected frame type " + type);
		}
		this.frameRemaining = 4 + size;
		return true;
	}

	/** Waits until {@code count} bytes are buffered; false when nsqd closed the connection before the first. */
	private boolean buffered(int count) throws IOException {
		while (this.limit - this.position < count) {
			if (this.position > 0) {
				System.arraycopy(this.buffer, this.position, this.buffer, 0, this.limit - this.position);
				this.limit -= this.position;
				this.position = 0;
			}
			if (fill(this.limit) < 0) {
				if (this.limit == 0) {
					return false;
				}
				throw new EOFException("nsqd closed the connection within a frame header");
			}
		}
		return true;
	}

	private void requireBuffered(int count) throws IOException {
		if (!buffered(count)) {
			throw new EOFException("nsqd closed the connection within a frame header");
		}
	}

	/** Reads what the source has into the buffer from {@code from}; -1 at its end. */
	private int fill(int from) throws IOException {
		if (from == 0) {
			this.position = 0;
			this.limit = 0;
		}
		int read = readSource(this.buffer, from, this.buffer.length - from);
		if (read > 0) {
			this.limit = from + read;
			heard();
		}
		return read;
	}

	private int intAt(int index) {
		return ((this.buffer[index] & 0xff) << 24) | ((this.buffer[index + 1] & 0xff) << 16)
				| ((this.buffer[index + 2] & 0xff) << 8) | (this.buffer[index + 3] & 0xff);
	}

	private void checkResponse(String response) throws IOException {
		if ("_heartbeat_".equals(response) || ("CLOSE_WAIT".equals(response) && this.closeWaitExpected)) {
			return;
		}
		if ("OK".equals(response) && !this.subscribed) {
			this.subscribed = true;
			return;
		}
		String shown = (response.length() > 40) ? response.substring(0, 40) + "..." : response;
		throw reject("Unsolicited response '" + shown + "' (no command of the listener awaits one)");
	}

	private void heard() {
		this.lastHeardNanos = System.nanoTime();
	}

	private long silentNanos(long nowNanos) {
		return nowNanos - this.lastHeardNanos;
	}

	/**
	 * Reads from the connection's decoded input. nsq-j sets the socket read timeout to its heartbeat interval
	 * plus 5 s, taking the interval to be nsqd's default 30 s: with a longer interval a quiet but healthy
	 * nsqd would hit it, so the read goes on after a timeout until nsqd has been silent for two heartbeat
	 * intervals, and is then reported as {@link HeartbeatWatch} would.
	 */
	private int readSource(byte[] target, int offset, int length) throws IOException {
		while (true) {
			try {
				return this.source.read(target, offset, length);
			}
			catch (SocketTimeoutException ex) {
				if (this.closed.get() || isSilentTooLong(System.nanoTime())) {
					closeSilent();
					throw ex;
				}
			}
		}
	}

	/** Logs one ERROR and closes the connection; nsq-j's read thread then ends quietly with the exception. */
	private IOException reject(String fault) {
		if (this.closed.compareAndSet(false, true)) {
			logger.error("Listener '{}' closes its connection to nsqd {}: {}; it reconnects, and nsqd redelivers the"
					+ " messages that were in flight on it", this.listener, this.connection.getHost(), fault);
			abort(this.connection, fault);
		}
		return new IOException(fault);
	}

}
