-- push: new -> pending (ready list) or scheduled (delayed zset), for a batch.
-- KEYS[1] ready:high   KEYS[2] ready:normal   KEYS[3] delayed:high   KEYS[4] delayed:normal
-- KEYS[5] tasks        KEYS[6] notify          KEYS[7..] idempotency keys of tasks that carry one
-- ARGV[1] now (unix s)  ARGV[2] idempotency window (ms)  ARGV[3] max depth (0 = unlimited)
-- ARGV[4] n, the number of tasks
-- ARGV[5 .. 4+2n] id1, envelope1, id2, envelope2, ...   (laid out for one HSET)
-- ARGV[5+2n .. 4+3n] each task's route: "1"/"2" ready normal/high; "3"/"4" delayed high/normal
--   (its not-before follows a "@"); either may end in "#<index into KEYS of its idempotency key>"
-- Returns: {1, r1, r2, ...}: r = the task id stored, or "=<id>" of an earlier task it duplicates
--          {-1, depth}: the batch would exceed the max depth; nothing was written
local window, max_depth, n = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local routes = 4 + 2 * n

local ids = {}
for i = 1, n do ids[i] = ARGV[3 + 2 * i] end
local existing = {}
for s = 1, n, 4000 do
    local found = redis.call('HMGET', KEYS[5], unpack(ids, s, math.min(s + 3999, n)))
    for j = 1, #found do existing[s + j - 1] = found[j] end
end

local results, fresh, seen_ids, seen_keys, all_fresh = {1}, {}, {}, {}, true
for i = 1, n do
    local id, route = ids[i], ARGV[routes + i]
    local key_index = #route > 1 and tonumber(string.match(route, '#(%d+)$') or '0') or 0
    local earlier = nil
    if key_index > 0 then earlier = seen_keys[key_index] or redis.call('GET', KEYS[key_index]) end
    if not earlier and (existing[i] or seen_ids[id]) then earlier = id end
    if earlier then
        results[i + 1] = '=' .. earlier
        all_fresh = false
    else
        results[i + 1] = id
        fresh[#fresh + 1] = i
        seen_ids[id] = true
        if key_index > 0 then seen_keys[key_index] = id end
    end
end
if max_depth > 0 and #fresh > 0 then
    local depth = redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2])
        + redis.call('ZCARD', KEYS[3]) + redis.call('ZCARD', KEYS[4])
    if depth + #fresh > max_depth then return {-1, depth} end
end

-- unpack() is bounded by the Lua C stack, so big batches go in chunks
local function chunked(command, key, values, first, last)
    for s = first, last, 4000 do
        redis.call(command, key, unpack(values, s, math.min(s + 3999, last)))
    end
end

local lists = {{}, {}}
local envelopes = ARGV
if not all_fresh then
    envelopes = {}
    for _, i in ipairs(fresh) do
        envelopes[#envelopes + 1] = ids[i]
        envelopes[#envelopes + 1] = ARGV[4 + 2 * i]
    end
end
for _, i in ipairs(fresh) do
    local route = ARGV[routes + i]
    local kind = string.byte(route) - 48
    if kind <= 2 then
        local list = lists[kind]
        list[#list + 1] = ids[i]
    else
        redis.call('ZADD', KEYS[kind], string.match(route, '@([^#]+)'), ids[i])
    end
    local key_index = #route > 1 and string.match(route, '#(%d+)$')
    if key_index then redis.call('SET', KEYS[tonumber(key_index)], ids[i], 'PX', window) end
end
if all_fresh then
    chunked('HSET', KEYS[5], envelopes, 5, 4 + 2 * n)
elseif #envelopes > 0 then
    chunked('HSET', KEYS[5], envelopes, 1, #envelopes)
end
chunked('RPUSH', KEYS[1], lists[2], 1, #lists[2])
chunked('RPUSH', KEYS[2], lists[1], 1, #lists[1])
if #lists[1] + #lists[2] > 0 then
    redis.call('LPUSH', KEYS[6], 1)
    redis.call('LTRIM', KEYS[6], 0, 0)
end
return results
