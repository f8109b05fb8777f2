-- Gives claimed entries that could not be published back: each id (ARGV[2..]) still in the claimed set
-- (KEYS[2]) returns to the due set (KEYS[1]) with its original due time (entry prefix ARGV[1]), where
-- the next poll claims it again and it can be cancelled. Returns how many were released.
local released = 0
for i = 2, #ARGV do
	if redis.call('ZREM', KEYS[2], ARGV[i]) == 1 then
		local due = redis.call('HGET', ARGV[1] .. ARGV[i], 'due')
		if due then
			redis.call('ZADD', KEYS[1], due, ARGV[i])
			released = released + 1
		end
	end
end
return released
