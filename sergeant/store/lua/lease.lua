-- lease: pending -> active, for up to COUNT tasks; promotes due scheduled tasks first.
-- KEYS[1] ready:high  KEYS[2] ready:normal  KEYS[3] delayed:high  KEYS[4] delayed:normal
-- KEYS[5] leased      KEYS[6] leases        KEYS[7] tasks         KEYS[8] attempts
-- KEYS[9] paused      KEYS[10] notify
-- ARGV[1] now  ARGV[2] count  ARGV[3] lease deadline  ARGV[4] lease id  ARGV[5] events channel
-- Returns: {ids, envelopes, attempts, next_due}
--   attempts[i] is false when the task has no failed attempt; next_due is the earliest
--   not-before of a scheduled task when nothing was leased ("" when there is none).
local now, count, deadline, lease_id = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
if redis.call('EXISTS', KEYS[9]) == 1 then return {{}, {}, {}, ''} end

local function chunked(command, key, values)
    for s = 1, #values, 4000 do
        redis.call(command, key, unpack(values, s, math.min(s + 3999, #values)))
    end
end

-- Due scheduled tasks join the tail of their ready list in not-before order.
for p = 1, 2 do
    local due = redis.call('ZRANGEBYSCORE', KEYS[p + 2], '-inf', now, 'LIMIT', 0, 10000)
    if #due > 0 then
        chunked('RPUSH', KEYS[p], due)
        chunked('ZREM', KEYS[p + 2], due)
    end
end

local ids = redis.call('LPOP', KEYS[1], count) or {}
if #ids < count then
    local more = redis.call('LPOP', KEYS[2], count - #ids) or {}
    for _, id in ipairs(more) do ids[#ids + 1] = id end
end
if #ids == 0 then
    local next_due = ''
    for p = 3, 4 do
        local first = redis.call('ZRANGE', KEYS[p], 0, 0, 'WITHSCORES')
        if #first > 0 and (next_due == '' or tonumber(first[2]) < next_due) then next_due = tonumber(first[2]) end
    end
    return {{}, {}, {}, tostring(next_due)}
end

local scored, owned = {}, {}
for _, id in ipairs(ids) do
    scored[#scored + 1] = deadline
    scored[#scored + 1] = id
    owned[#owned + 1] = id
    owned[#owned + 1] = lease_id
end
chunked('ZADD', KEYS[5], scored)
chunked('HSET', KEYS[6], owned)
local envelopes = redis.call('HMGET', KEYS[7], unpack(ids))
local attempts = redis.call('HMGET', KEYS[8], unpack(ids))
-- Wake the next blocked consumer while work remains (one token wakes one waiter).
if redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2]) > 0 then
    redis.call('LPUSH', KEYS[10], 1)
    redis.call('LTRIM', KEYS[10], 0, 0)
end
redis.call('PUBLISH', ARGV[5], 'B|started|' .. ARGV[1] .. '|' .. table.concat(ids, ','))
return {ids, envelopes, attempts, ''}
