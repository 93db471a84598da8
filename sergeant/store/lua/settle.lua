-- settle: active -> succeeded for a whole lease, or for a cumulative set of its tasks.
-- Results are stored only for the tasks that asked for one, in one hash per time bucket.
-- KEYS[1] leased  KEYS[2] leases  KEYS[3] counts  KEYS[4] index  KEYS[5] results bucket
-- ARGV[1] lease id  ARGV[2] "" for the whole lease, or the done-set: one character per task of the lease,
--   "1" done, "0" not yet (cumulative: it may repeat tasks settled before)
-- ARGV[3] the bucket's expiry (unix s)  ARGV[4] events channel  ARGV[5] now
-- ARGV[6..] per result, 2 values: task id, packed result record
-- Returns: 1 settled, 0 the lease was not held (expired, released or already settled)
local HEADER = '>BI4I4dBI4I4I4I4'
local lease_id, wanted = ARGV[1], ARGV[2]
local pieces = redis.call('HGET', KEYS[2], lease_id)
if not pieces then return 0 end

local done_field = lease_id .. '|done'
local before = redis.call('HGET', KEYS[2], done_field) or ''
local total, at = 0, 1
while at <= #pieces do
    local _, n, _, _, _, _, first, _, size, next_at = struct.unpack(HEADER, pieces, at)
    total = total + n - first
    at = next_at + 4 * n + size
end

local function count_done(s)
    local c = 0
    for _ in string.gmatch(s, '1') do c = c + 1 end
    return c
end

local merged = ''
if wanted ~= '' then
    local parts = {}
    for i = 1, total do
        local a, b = string.sub(before, i, i), string.sub(wanted, i, i)
        parts[i] = (a == '1' or b == '1') and '1' or '0'
    end
    merged = table.concat(parts)
end
local newly
if wanted == '' or not string.find(merged, '0', 1, true) then
    newly = total - count_done(before)
    redis.call('HDEL', KEYS[2], lease_id, done_field)
    redis.call('ZREM', KEYS[1], lease_id)
else
    newly = count_done(merged) - count_done(before)
    redis.call('HSET', KEYS[2], done_field, merged)
end
if newly ~= 0 then redis.call('HINCRBY', KEYS[3], 'leased', -newly) end

if #ARGV > 5 then
    -- One HSET and HDEL per thousand results, not two calls per task: calls from Lua cost more than their work.
    local ids = {}
    for i = 6, #ARGV, 2 do ids[#ids + 1] = ARGV[i] end
    for from = 6, #ARGV, 2000 do
        redis.call('HSET', KEYS[5], unpack(ARGV, from, math.min(from + 1999, #ARGV)))
    end
    for from = 1, #ids, 1000 do
        redis.call('HDEL', KEYS[4], unpack(ids, from, math.min(from + 999, #ids)))
    end
    redis.call('EXPIREAT', KEYS[5], ARGV[3])
    redis.call('PUBLISH', ARGV[4], 'B|succeeded|' .. ARGV[5] .. '|' .. table.concat(ids, ','))
end
return 1
