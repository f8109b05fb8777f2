package io.github.nsqspring.delay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Delayed messages in Redis, under a key prefix {@code P}:
 * <ul>
 * <li>{@code P + "due"}: sorted set of the ids waiting to be published, scored by due time (epoch millis);</li>
 * <li>{@code P + "claimed"}: sorted set of the ids a poller claimed, scored by the end of its lease;</li>
 * <li>{@code P + "entry:" + id}: hash of the {@code topic}, {@code body} and {@code due} time of one entry;</li>
 * <li>{@code P + "pending"}: hash of the number of entries not yet published, per topic.</li>
 * </ul>
 * Every change that touches more than one key is one Lua script, so it is atomic: an entry is either
 * due, claimed, or gone, and is claimed by one poller at a time.
 */
public class RedisDelayedMessageStore {

	private final RedisTemplate<String, byte[]> redis;

	private final String dueKey;

	private final String claimedKey;

	private final String pendingKey;

	private final String entryPrefix;

	private final RedisScript<Long> scheduleScript = script("schedule", Long.class);

	private final RedisScript<Long> cancelScript = script("cancel", Long.class);

	@SuppressWarnings("rawtypes")
	private final RedisScript<List> claimScript = script("claim", List.class);

	private final RedisScript<Long> acknowledgeScript = script("acknowledge", Long.class);

	private final RedisScript<Long> releaseScript = script("release", Long.class);

	public RedisDelayedMessageStore(RedisConnectionFactory connectionFactory, String keyPrefix) {
		this.redis = new RedisTemplate<>();
		this.redis.setConnectionFactory(connectionFactory);
		this.redis.setKeySerializer(RedisSerializer.string());
		this.redis.setHashKeySerializer(RedisSerializer.string());
		// script arguments and results are bytes too: bodies are binary
		this.redis.setValueSerializer(RedisSerializer.byteArray());
		this.redis.setHashValueSerializer(RedisSerializer.byteArray());
		this.redis.afterPropertiesSet();
		this.dueKey = keyPrefix + "due";
		this.claimedKey = keyPrefix + "claimed";
		this.pendingKey = keyPrefix + "pending";
		this.entryPrefix = keyPrefix + "entry:";
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return RedisScript.of(new ClassPathResource(name + ".lua", RedisDelayedMessageStore.class), resultType);
	}

	/** Stores a new entry; returns false and changes nothing when its id exists already. */
	public boolean add(ScheduledMessage message) {
		long due = message.dueAt().toEpochMilli();
		return run(this.scheduleScript, List.of(this.dueKey, this.pendingKey, entryKey(message.id())), bytes(message.id()),
				bytes(message.topic()), message.body(), bytes(due)) == 1;
	}

	/** Removes an entry that is not claimed yet; false when it is unknown, claimed or published already. */
	public boolean cancel(String id) {
		return run(this.cancelScript, List.of(this.dueKey, this.pendingKey, entryKey(id)), bytes(id)) == 1;
	}

	/** The entry with this id while it is not published yet (due or claimed). */
	public Optional<ScheduledMessage> find(String id) {
		List<Object> fields = this.redis.opsForHash().multiGet(entryKey(id), List.of("topic", "body", "due"));
		if (fields.get(0) == null) {
			return Optional.empty();
		}
		return Optional.of(new ScheduledMessage(id, text(fields.get(0)), (byte[]) fields.get(1),
				Instant.ofEpochMilli(Long.parseLong(text(fields.get(2))))));
	}

	/** Entries of a topic not published yet, claimed ones included. */
	public long pending(String topic) {
		Object count = this.redis.opsForHash().get(this.pendingKey, topic);
		return (count != null) ? Long.parseLong(text(count)) : 0;
	}

	/** Entries of all topics not published yet, claimed ones included. */
	public long pending() {
		Long due = this.redis.opsForZSet().zCard(this.dueKey);
		Long claimed = this.redis.opsForZSet().zCard(this.claimedKey);
		return ((due != null) ? due : 0) + ((claimed != null) ? claimed : 0);
	}

	/**
	 * Claims at most {@code limit} entries, in one atomic step: first those whose lease ended by
	 * {@code now}, then those due by {@code now}. They stay claimed until {@code leaseUntil}, then any
	 * poller may claim them again.
	 */
	public Claim claim(Instant now, Instant leaseUntil, int limit) {
		List<?> result = this.redis.execute(this.claimScript, List.of(this.dueKey, this.claimedKey),
				bytes(now.toEpochMilli()), bytes(leaseUntil.toEpochMilli()), bytes(limit), bytes(this.entryPrefix));
		List<ScheduledMessage> messages = new ArrayList<>(result.size() / 4);
		for (int i = 0; i + 4 < result.size(); i += 4) {
			messages.add(new ScheduledMessage(text(result.get(i)), text(result.get(i + 1)), (byte[]) result.get(i + 2),
					Instant.ofEpochMilli(Long.parseLong(text(result.get(i + 3))))));
		}
		long nextDue = (long) Double.parseDouble(text(result.get(result.size() - 1)));
		return new Claim(messages, (nextDue >= 0) ? Instant.ofEpochMilli(nextDue) : null);
	}

	/** Deletes published entries that are still claimed; returns how many were deleted. */
	public long acknowledge(Collection<String> ids) {
		return run(this.acknowledgeScript, List.of(this.claimedKey, this.pendingKey), idArguments(ids));
	}

	/** Makes claimed entries due again (with their original due time); returns how many were released. */
	public long release(Collection<String> ids) {
		return run(this.releaseScript, List.of(this.dueKey, this.claimedKey), idArguments(ids));
	}

	private Object[] idArguments(Collection<String> ids) {
		List<byte[]> arguments = new ArrayList<>(ids.size() + 1);
		arguments.add(bytes(this.entryPrefix));
		ids.forEach((id) -> arguments.add(bytes(id)));
		return arguments.toArray();
	}

	private long run(RedisScript<Long> script, List<String> keys, Object... arguments) {
		Long result = this.redis.execute(script, keys, arguments);
		return (result != null) ? result : 0;
	}

	private String entryKey(String id) {
		return this.entryPrefix + id;
	}

	private static byte[] bytes(Object value) {
		return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
	}

	private static String text(Object value) {
		return new String((byte[]) value, StandardCharsets.UTF_8);
	}

	/**
	 * The result of {@link #claim}.
	 *
	 * @param messages the claimed entries
	 * @param nextDue the earliest due time still waiting, or {@code null} when none is
	 */
	public record Claim(List<ScheduledMessage> messages, @Nullable Instant nextDue) {

	}

}
