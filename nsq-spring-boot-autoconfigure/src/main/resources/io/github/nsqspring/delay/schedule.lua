-- Stores a new entry (KEYS[3]: topic, body, due) and adds its id to the due set (KEYS[1]) scored by the
-- due time; counts it as pending for its topic (KEYS[2]). ARGV: id, topic, body, due (epoch millis).
-- Returns 0 and changes nothing when an entry with this id exists.
if redis.call('EXISTS', KEYS[3]) == 1 then
	return 0
end
redis.call('HSET', KEYS[3], 'topic', ARGV[2], 'body', ARGV[3], 'due', ARGV[4])
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return 1
