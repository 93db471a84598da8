-- push: new -> pending (ready list) or scheduled (delayed zset), for a batch.
-- KEYS[1] ready:high   KEYS[2] ready:normal   KEYS[3] delayed:high   KEYS[4] delayed:normal
-- KEYS[5] tasks        KEYS[6] notify          KEYS[7..] idempotency keys of tasks that carry one
-- ARGV[1] idempotency window (ms)  ARGV[2] max depth (0 = unlimited)  ARGV[3] n, the number of tasks
-- ARGV[4] m, the number of routed tasks
-- ARGV[5 .. 4+2n] id1, envelope1, id2, envelope2, ...   (laid out for one HSET)
-- ARGV[5+2n ..] m routes, four values each, for the tasks not simply bound for ready:normal:
--   batch index (1-based), destination (KEYS index 1-4), not-before (delayed only), KEYS index of the
--   idempotency key (0: none). Most batches route nothing, so their cost stays one HSET and one RPUSH.
-- Returns: {1, i1, earlier1, i2, earlier2, ...}: the 0-based batch indexes of tasks that duplicate an
--          earlier task (same id, or same idempotency key within the window), each with that task's id
--          {-1, depth}: the batch would exceed the max depth; nothing was written
local window, max_depth, n, m = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

-- unpack() is bounded by the Lua C stack, so big batches go in chunks
local function chunked(command, key, values, first, last)
    for s = first, last, 4000 do
        redis.call(command, key, unpack(values, s, math.min(s + 3999, last)))
    end
end

local ids = {}
for i = 1, n do ids[i] = ARGV[3 + 2 * i] end
local dest, due, idem = {}, {}, {}
for r = 5 + 2 * n, 4 + 2 * n + 4 * m, 4 do
    local i = tonumber(ARGV[r])
    dest[i], due[i] = tonumber(ARGV[r + 1]), ARGV[r + 2]
    local key_index = tonumber(ARGV[r + 3])
    if key_index > 0 then idem[i] = key_index end
end

local stored = {}
for s = 1, n, 4000 do
    local found = redis.call('HMGET', KEYS[5], unpack(ids, s, math.min(s + 3999, n)))
    for j = 1, #found do
        if found[j] then stored[s + j - 1] = true end
    end
end

local results, skip, seen_ids, seen_keys, fresh = {1}, {}, {}, {}, n
for i = 1, n do
    local id, key_index = ids[i], idem[i]
    local earlier = nil
    if key_index then earlier = seen_keys[key_index] or redis.call('GET', KEYS[key_index]) end
    if not earlier and (stored[i] or seen_ids[id]) then earlier = id end
    if earlier then
        results[#results + 1] = i - 1
        results[#results + 1] = earlier
        skip[i] = true
        fresh = fresh - 1
    else
        seen_ids[id] = true
        if key_index then seen_keys[key_index] = id end
    end
end
if max_depth > 0 and fresh > 0 then
    local depth = redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2])
        + redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
    if depth + fresh > max_depth then return {-1, depth} end
end

if fresh == n then
    chunked('HSET', KEYS[5], ARGV, 5, 4 + 2 * n)
else
    local envelopes = {}
    for i = 1, n do
        if not skip[i] then
            envelopes[#envelopes + 1] = ids[i]
            envelopes[#envelopes + 1] = ARGV[4 + 2 * i]
        end
    end
    chunked('HSET', KEYS[5], envelopes, 1, #envelopes)
end

local ready = 0
if m == 0 and fresh == n then
    chunked('RPUSH', KEYS[2], ids, 1, n)
    ready = n
else
    local lists = {{}, {}}
    for i = 1, n do
        if not skip[i] then
            local d = dest[i] or 2
            if d <= 2 then
                lists[d][#lists[d] + 1] = ids[i]
            else
                redis.call('ZADD', KEYS[d], due[i], ids[i])
            end
            if idem[i] then redis.call('SET', KEYS[idem[i]], ids[i], 'PX', window) end
        end
    end
    chunked('RPUSH', KEYS[1], lists[1], 1, #lists[1])
    chunked('RPUSH', KEYS[2], lists[2], 1, #lists[2])
    ready = #lists[1] + #lists[2]
end
if ready > 0 then
    redis.call('LPUSH', KEYS[6], 1)
    redis.call('LTRIM', KEYS[6], 0, 0)
end
return results
