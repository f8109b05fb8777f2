-- Removes an entry that is still in the due set (KEYS[1]): its data (KEYS[3]) and its pending count
-- (KEYS[2]). ARGV: id. Returns 0 when the id is not in the due set (unknown, published or claimed).
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
	return 0
end
local topic = redis.call('HGET', KEYS[3], 'topic')
redis.call('DEL', KEYS[3])
if topic and redis.call('HINCRBY', KEYS[2], topic, -1) <= 0 then
	redis.call('HDEL', KEYS[2], topic)
end
return 1
