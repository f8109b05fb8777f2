package io.github.nsqspring.archive;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.MpubBatcher;
import io.github.nsqspring.support.NsqNames;
import org.jspecify.annotations.Nullable;

/**
 * Reads, replays and purges the archive table. Messages of a topic are ordered by nsqd's timestamp (ties
 * by arrival in the table); time windows are half-open, {@code [from, to)}.
 */
public class NsqArchive {

	private final ArchiveTable table;

	private final NsqOperations operations;

	private final int batchSize;

	private final int maxBatchBytes;

	/**
	 * @param table the archive table
	 * @param operations publishes replayed messages
	 * @param batchSize the most messages per page and per replay MPUB
	 * @param maxBatchBytes the largest MPUB body nsqd accepts ({@code --max-body-size})
	 */
	public NsqArchive(ArchiveTable table, NsqOperations operations, int batchSize, int maxBatchBytes) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("batchSize must be at least 1, not " + batchSize);
		}
		this.table = table;
		this.operations = operations;
		this.batchSize = batchSize;
		this.maxBatchBytes = maxBatchBytes;
	}

	/**
	 * Republishes the archived messages of {@code topic} with a timestamp in {@code [from, to)} to
	 * {@code targetTopic}, in timestamp order, in MPUB batches, and returns how many it published. A
	 * failed publish throws {@link io.github.nsqspring.core.NsqPublishException}; the batches before it
	 * were published. A message archived with envelope headers is republished in an envelope with them. Replaying into an archived topic archives the replayed messages again (they are
	 * new NSQ messages).
	 */
	public long replay(String topic, Instant from, Instant to, String targetTopic) {
		NsqNames.requireValidTopic(targetTopic);
		long published = 0;
		MpubBatcher<byte[]> batcher = new MpubBatcher<>(this.batchSize, this.maxBatchBytes, (body) -> body.length);
		try (Stream<ArchivedMessage> messages = stream(topic, from, to)) {
			Iterator<ArchivedMessage> iterator = messages.iterator();
			while (iterator.hasNext()) {
				published += publish(targetTopic, batcher.add(iterator.next().publishedBody()));
			}
		}
		return published + publish(targetTopic, batcher.finish());
	}

	private int publish(String targetTopic, @Nullable List<byte[]> bodies) {
		if (bodies == null) {
			return 0;
		}
		this.operations.sendBatch(targetTopic, bodies);
		return bodies.size();
	}

	/**
	 * One page of the archived messages of {@code topic} with a timestamp in {@code [from, to)}, in
	 * timestamp order: up to {@code size} messages after {@code after} (the last message of the previous
	 * page, or null for the first page). An empty page is the end.
	 */
	public List<ArchivedMessage> page(String topic, Instant from, Instant to, @Nullable ArchivedMessage after, int size) {
		requireWindow(topic, from, to);
		if (size < 1) {
			throw new IllegalArgumentException("Page size must be at least 1, not " + size);
		}
		return this.table.page(topic, from, to, after, size);
	}

	/**
	 * The archived messages of {@code topic} with a timestamp in {@code [from, to)}, in timestamp order,
	 * read page by page as the stream is consumed (no connection stays open between pages).
	 */
	public Stream<ArchivedMessage> stream(String topic, Instant from, Instant to) {
		requireWindow(topic, from, to);
		List<ArchivedMessage> first = this.table.page(topic, from, to, null, this.batchSize);
		return Stream.iterate(first, (page) -> !page.isEmpty(), (page) -> (page.size() < this.batchSize) ? List.of()
				: this.table.page(topic, from, to, page.get(page.size() - 1), this.batchSize))
			.flatMap(List::stream);
	}

	/** How many messages of {@code topic} with a timestamp in {@code [from, to)} are archived. */
	public long count(String topic, Instant from, Instant to) {
		requireWindow(topic, from, to);
		return this.table.count(topic, from, to);
	}

	/** Deletes the archived messages of {@code topic} with a timestamp before {@code before}; returns how many. */
	public long purge(String topic, Instant before) {
		NsqNames.requireValidTopic(topic);
		if (before == null) {
			throw new IllegalArgumentException("before must not be null");
		}
		return this.table.purge(topic, before);
	}

	private static void requireWindow(String topic, Instant from, Instant to) {
		NsqNames.requireValidTopic(topic);
		if (from == null || to == null || from.isAfter(to)) {
			throw new IllegalArgumentException("The time window [" + from + ", " + to + ") is not valid");
		}
	}

}
