-- bury: active -> dead, keeping the envelope and the error until replayed or purged.
-- KEYS[1] leased  KEYS[2] leases  KEYS[3] attempts  KEYS[4] dead  KEYS[4 + i] result key of task i
-- ARGV[1] now  ARGV[2] events channel
-- ARGV[3] "1": only act on leases whose deadline has passed (reclaim), else "0"
-- ARGV[4..] per task, 4 values: id, lease id, attempt, packed dead record (with the error)
-- Returns: {c1, c2, ...}: 1 buried, 0 the lease was not held
local now, expired_only = tonumber(ARGV[1]), ARGV[3] == '1'
local codes, buried = {}, {}
for i = 4, #ARGV, 4 do
    local id, n = ARGV[i], (i - 0) / 4
    local held = redis.call('HGET', KEYS[2], id) == ARGV[i + 1]
    if held and expired_only then
        local deadline = redis.call('ZSCORE', KEYS[1], id)
        held = deadline and tonumber(deadline) <= now
    end
    if held then
        redis.call('ZREM', KEYS[1], id)
        redis.call('HDEL', KEYS[2], id)
        redis.call('HSET', KEYS[3], id, ARGV[i + 2])
        redis.call('ZADD', KEYS[4], now, id)
        redis.call('SET', KEYS[4 + n], ARGV[i + 3])
        codes[n] = 1
        buried[#buried + 1] = id
    else
        codes[n] = 0
    end
end
if #buried > 0 then
    redis.call('PUBLISH', ARGV[2], 'B|dead|' .. ARGV[1] .. '|' .. table.concat(buried, ','))
end
return codes
