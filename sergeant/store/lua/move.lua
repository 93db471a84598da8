-- move: some tasks of one lease leave it (fail, retry, requeue, release, a dead owner's or an expired lease):
-- back to the head of their ready list in order, to a delayed zset, to the dead letters, or to a terminal
-- record. The caller read the lease and planned every move; the plan applies only if the lease is still
-- held and its done-set is still the one the caller read, so a plan made on stale data is refused.
-- KEYS[1] ready:high  KEYS[2] ready:normal  KEYS[3] delayed:high  KEYS[4] delayed:normal
-- KEYS[5] leased  KEYS[6] leases  KEYS[7] counts  KEYS[8] index  KEYS[9] notify  KEYS[10] dead
-- KEYS[11] tasks (envelopes of dead tasks)  KEYS[12] results bucket  KEYS[13..] result keys of the buried
-- ARGV[1] lease id  ARGV[2] now  ARGV[3] "1": only if the lease's deadline has passed  ARGV[4] channel
-- ARGV[5] the done-set read ("" none)  ARGV[6] the done-set after the moves ("" when every task is settled)
-- ARGV[7] bucket expiry (unix s)  ARGV[8] how many tasks leave the lease
-- ARGV[9] h, ARGV[10] d, ARGV[11] b, ARGV[12] r, ARGV[13] x, ARGV[14] e: how many head pieces, delayed pieces,
--   burials, terminal records, index updates and event groups follow
-- then h times 3: list (1 high, 2 normal), task count, piece   (pushed to the heads, in this order)
-- then d times 4: zset (3 high, 4 normal), not-before, task count, piece
-- then b times 3: id, envelope, dead record   (result key KEYS[12 + i])
-- then r times 2: id, terminal record          (into the results bucket)
-- then x times 2: id, state ("p", "s"; "" deletes; a cancelled task's "c" is kept)
-- then e times 2: event kind, comma-separated ids
-- Returns: 1 moved, 0 the lease was not held (or not expired), -1 its done-set changed: read it again
local lease_id, now = ARGV[1], tonumber(ARGV[2])
if not redis.call('HGET', KEYS[6], lease_id) then return 0 end
if ARGV[3] == '1' then
    local deadline = redis.call('ZSCORE', KEYS[5], lease_id)
    if not deadline or tonumber(deadline) > now then return 0 end
end
local done_field = lease_id .. '|done'
if (redis.call('HGET', KEYS[6], done_field) or '') ~= ARGV[5] then return -1 end

local h, d, b, r, x, e = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]),
    tonumber(ARGV[13]), tonumber(ARGV[14])
local at = 15
local heads = {}
local field = {'high', 'normal', 'delayed', 'delayed'}
for _ = 1, h do
    heads[#heads + 1] = {tonumber(ARGV[at]), ARGV[at + 2]}
    redis.call('HINCRBY', KEYS[7], field[tonumber(ARGV[at])], ARGV[at + 1])
    at = at + 3
end
for i = #heads, 1, -1 do redis.call('LPUSH', KEYS[heads[i][1]], heads[i][2]) end
for _ = 1, d do
    redis.call('ZADD', KEYS[tonumber(ARGV[at])], ARGV[at + 1], ARGV[at + 3])
    redis.call('HINCRBY', KEYS[7], 'delayed', ARGV[at + 2])
    at = at + 4
end
for i = 1, b do
    redis.call('ZADD', KEYS[10], now, ARGV[at])
    redis.call('HSET', KEYS[11], ARGV[at], ARGV[at + 1])
    redis.call('SET', KEYS[12 + i], ARGV[at + 2])
    at = at + 3
end
for _ = 1, r do
    redis.call('HSET', KEYS[12], ARGV[at], ARGV[at + 1])
    at = at + 2
end
if r > 0 then redis.call('EXPIREAT', KEYS[12], ARGV[7]) end
for _ = 1, x do
    local id, state = ARGV[at], ARGV[at + 1]
    local current = redis.call('HGET', KEYS[8], id) or ''
    if string.sub(current, 1, 1) ~= 'c' then
        if state == '' then
            redis.call('HDEL', KEYS[8], id)
        else
            redis.call('HSET', KEYS[8], id, state .. string.sub(current, 2))
        end
    end
    at = at + 2
end
for _ = 1, e do
    redis.call('PUBLISH', ARGV[4], 'B|' .. ARGV[at] .. '|' .. ARGV[2] .. '|' .. ARGV[at + 1])
    at = at + 2
end

if ARGV[6] == '' then
    redis.call('HDEL', KEYS[6], lease_id, done_field)
    redis.call('ZREM', KEYS[5], lease_id)
else
    redis.call('HSET', KEYS[6], done_field, ARGV[6])
end
if ARGV[8] ~= '0' then redis.call('HINCRBY', KEYS[7], 'leased', -tonumber(ARGV[8])) end
if h > 0 then
    redis.call('LPUSH', KEYS[9], 1)
    redis.call('LTRIM', KEYS[9], 0, 0)
end
return 1
