-- push: new -> pending (ready list) or scheduled (delayed zset), for a batch.
-- KEYS[1] ready:high   KEYS[2] ready:normal   KEYS[3] delayed:high   KEYS[4] delayed:normal
-- KEYS[5] tasks        KEYS[6] notify          KEYS[7..] idempotency keys of tasks that carry one
-- ARGV[1] now (unix s)  ARGV[2] idempotency window (ms)  ARGV[3] max depth (0 = unlimited)
-- ARGV[4..] per task, 5 values: id, priority (2 high, 1 normal), not_before, envelope,
--           index into KEYS of its idempotency key (0 = none)
-- Returns: {1, r1, r2, ...}: r = the task id stored, or "=<id>" of an earlier task it duplicates
--          {-1, depth}: the batch would exceed the max depth; nothing was written
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max_depth = tonumber(ARGV[3])
local results, fresh, claimed = {}, {}, {}
for i = 4, #ARGV, 5 do
    local id, key_index = ARGV[i], tonumber(ARGV[i + 4])
    local earlier = nil
    if key_index > 0 then
        earlier = claimed[key_index] or redis.call('GET', KEYS[key_index])
    end
    if not earlier and (claimed['id:' .. id] or redis.call('HEXISTS', KEYS[5], id) == 1) then
        earlier = id
    end
    if earlier then
        results[#results + 1] = '=' .. earlier
    else
        results[#results + 1] = id
        fresh[#fresh + 1] = i
        claimed['id:' .. id] = true
        if key_index > 0 then claimed[key_index] = id end
    end
end
if max_depth > 0 and #fresh > 0 then
    local depth = redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2])
        + redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
    if depth + #fresh > max_depth then return {-1, depth} end
end
local envelopes, high, normal, any_ready = {}, {}, {}, false
for _, i in ipairs(fresh) do
    local id, high_priority, not_before = ARGV[i], ARGV[i + 1] == '2', tonumber(ARGV[i + 2])
    envelopes[#envelopes + 1] = id
    envelopes[#envelopes + 1] = ARGV[i + 3]
    if not_before > now then
        redis.call('ZADD', high_priority and KEYS[3] or KEYS[4], not_before, id)
    else
        local list = high_priority and high or normal
        list[#list + 1] = id
        any_ready = true
    end
    local key_index = tonumber(ARGV[i + 4])
    if key_index > 0 then redis.call('SET', KEYS[key_index], id, 'PX', window) end
end
-- unpack() is bounded by the Lua C stack, so big batches go in chunks
local function chunked(command, key, values)
    for s = 1, #values, 4000 do
        redis.call(command, key, unpack(values, s, math.min(s + 3999, #values)))
    end
end
chunked('HSET', KEYS[5], envelopes)
chunked('RPUSH', KEYS[1], high)
chunked('RPUSH', KEYS[2], normal)
if any_ready then
    redis.call('LPUSH', KEYS[6], 1)
    redis.call('LTRIM', KEYS[6], 0, 0)
end
table.insert(results, 1, 1)
return results
