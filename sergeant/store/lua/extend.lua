-- extend: active -> active with a later deadline, for leases still held by LEASE ID.
-- KEYS[1] leased  KEYS[2] leases
-- ARGV[1] new deadline  ARGV[2] lease id  ARGV[3..] task ids
-- Returns: the ids whose lease was extended
local extended = {}
for i = 3, #ARGV do
    if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[2] then
        redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[i])
        extended[#extended + 1] = ARGV[i]
    end
end
return extended
