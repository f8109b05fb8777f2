package io.github.nsqspring.support;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Generates unique, increasing 64-bit ids: 41 bits of milliseconds since 2024-01-01T00:00:00Z, 10 bits
 * of worker id, 12 bits of sequence. Thread-safe. Ids never repeat and never go backwards, also when the
 * clock steps back: the generator then keeps counting on from the last time it used, borrowing the next
 * millisecond when 4,096 ids were taken in one.
 */
public class SnowflakeIdGenerator {

	/** 2024-01-01T00:00:00Z. */
	public static final long EPOCH_MILLIS = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();

	private static final int WORKER_BITS = 10;

	private static final int SEQUENCE_BITS = 12;

	private static final long MAX_WORKER = (1L << WORKER_BITS) - 1;

	private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

	private final long workerId;

	private final LongSupplier clock;

	private long lastMillis = -1;

	private long sequence;

	/** A generator with the worker id derived from the host name and process id. */
	public SnowflakeIdGenerator() {
		this(derivedWorkerId());
	}

	public SnowflakeIdGenerator(long workerId) {
		this(workerId, System::currentTimeMillis);
	}

	/** A generator with an explicit clock (epoch milliseconds), for tests. */
	public SnowflakeIdGenerator(long workerId, LongSupplier clock) {
		if (workerId < 0 || workerId > MAX_WORKER) {
			throw new IllegalArgumentException("Snowflake worker id must be between 0 and " + MAX_WORKER + ", not " + workerId);
		}
		this.workerId = workerId;
		this.clock = clock;
	}

	public synchronized long nextId() {
		long now = Math.max(this.clock.getAsLong() - EPOCH_MILLIS, this.lastMillis);
		if (now == this.lastMillis) {
			this.sequence = (this.sequence + 1) & MAX_SEQUENCE;
			if (this.sequence == 0) {
				now = this.lastMillis + 1;
			}
		}
		else {
			this.sequence = 0;
		}
		this.lastMillis = now;
		return (now << (WORKER_BITS + SEQUENCE_BITS)) | (this.workerId << SEQUENCE_BITS) | this.sequence;
	}

	public long getWorkerId() {
		return this.workerId;
	}

	/** The worker id part of an id. */
	public static long workerIdOf(long id) {
		return (id >>> SEQUENCE_BITS) & MAX_WORKER;
	}

	/** The time part of an id. */
	public static Instant timestampOf(long id) {
		return Instant.ofEpochMilli((id >>> (WORKER_BITS + SEQUENCE_BITS)) + EPOCH_MILLIS);
	}

	static long derivedWorkerId() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "unknown";
		}
		long pid = ProcessHandle.current().pid();
		return Math.floorMod((host + "/" + pid + "/" + ManagementFactory.getRuntimeMXBean().getStartTime()).hashCode(),
				MAX_WORKER + 1);
	}

}
