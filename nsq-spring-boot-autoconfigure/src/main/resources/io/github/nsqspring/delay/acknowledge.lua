-- Deletes published entries: each id (ARGV[2..]) still in the claimed set (KEYS[1]) loses its data
-- (prefix ARGV[1]) and its pending count (KEYS[2]). Returns how many were deleted.
local deleted = 0
for i = 2, #ARGV do
	if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
		local key = ARGV[1] .. ARGV[i]
		local topic = redis.call('HGET', key, 'topic')
		redis.call('DEL', key)
		if topic and redis.call('HINCRBY', KEYS[2], topic, -1) <= 0 then
			redis.call('HDEL', KEYS[2], topic)
		end
		deleted = deleted + 1
	end
end
return deleted
