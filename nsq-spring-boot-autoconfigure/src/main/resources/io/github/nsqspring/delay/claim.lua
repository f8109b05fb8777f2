-- Claims at most ARGV[3] entries: first those in the claimed set (KEYS[2]) whose lease ended by ARGV[1]
-- (their instance died), then those in the due set (KEYS[1]) due by ARGV[1]. Each claimed id is scored
-- in the claimed set with the new lease end ARGV[2]. ARGV[4] is the prefix of the entry keys.
-- Returns id, topic, body, due of each claimed entry, then the earliest due time left in the due set
-- (or -1 when it is empty).
local limit = tonumber(ARGV[3])
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, limit)
if #ids < limit then
	for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, limit - #ids)) do
		redis.call('ZREM', KEYS[1], id)
		table.insert(ids, id)
	end
end
local claimed = {}
for _, id in ipairs(ids) do
	local entry = redis.call('HMGET', ARGV[4] .. id, 'topic', 'body', 'due')
	if entry[1] then
		redis.call('ZADD', KEYS[2], ARGV[2], id)
		table.insert(claimed, id)
		table.insert(claimed, entry[1])
		table.insert(claimed, entry[2])
		table.insert(claimed, entry[3])
	else
		redis.call('ZREM', KEYS[2], id)
	end
end
local next = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
table.insert(claimed, next[2] or '-1')
return claimed
