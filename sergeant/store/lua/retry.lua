-- retry: active -> pending (head of its ready list) or scheduled, setting its attempt count.
-- Serves fail-with-retry, requeue/release, a dead owner's leases and expired leases.
-- KEYS[1] ready:high  KEYS[2] ready:normal  KEYS[3] delayed:high  KEYS[4] delayed:normal
-- KEYS[5] leased      KEYS[6] leases        KEYS[7] attempts      KEYS[8] notify
-- ARGV[1] now  ARGV[2] events channel  ARGV[3] event kind to publish ("" for none)
-- ARGV[4] "1": only act on leases whose deadline has passed (reclaim), else "0"
-- ARGV[5..] per task, 5 values: id, lease id, priority (2 high, 1 normal), attempt, not-before (0 = now)
-- Returns: {c1, c2, ...}: 1 moved, 0 the lease was not held
-- Tasks due now go back to the head of their list in the order given.
local now, expired_only = tonumber(ARGV[1]), ARGV[4] == '1'
local codes, moved, heads = {}, {}, {}
for i = 5, #ARGV, 5 do
    local id, n = ARGV[i], (i - 0) / 5
    local held = redis.call('HGET', KEYS[6], id) == ARGV[i + 1]
    if held and expired_only then
        local deadline = redis.call('ZSCORE', KEYS[5], id)
        held = deadline and tonumber(deadline) <= now
    end
    if held then
        redis.call('ZREM', KEYS[5], id)
        redis.call('HDEL', KEYS[6], id)
        if ARGV[i + 3] == '0' then
            redis.call('HDEL', KEYS[7], id)
        else
            redis.call('HSET', KEYS[7], id, ARGV[i + 3])
        end
        local high, not_before = ARGV[i + 2] == '2', tonumber(ARGV[i + 4])
        if not_before > now then
            redis.call('ZADD', high and KEYS[3] or KEYS[4], not_before, id)
        else
            heads[#heads + 1] = {high and KEYS[1] or KEYS[2], id}
        end
        codes[n] = 1
        moved[#moved + 1] = id
    else
        codes[n] = 0
    end
end
for h = #heads, 1, -1 do redis.call('LPUSH', heads[h][1], heads[h][2]) end
if #heads > 0 then
    redis.call('LPUSH', KEYS[8], 1)
    redis.call('LTRIM', KEYS[8], 0, 0)
end
if ARGV[3] ~= '' and #moved > 0 then
    redis.call('PUBLISH', ARGV[2], 'B|' .. ARGV[3] .. '|' .. ARGV[1] .. '|' .. table.concat(moved, ','))
end
return codes
