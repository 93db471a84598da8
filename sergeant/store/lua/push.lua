-- push: new -> pending (pieces at the tail of their ready list) or scheduled (pieces in a delayed zset).
-- A piece is a run of task records kept as one element (sergeant/store/pieces.py).
-- KEYS[1] ready:high  KEYS[2] ready:normal  KEYS[3] delayed:high  KEYS[4] delayed:normal
-- KEYS[5] counts      KEYS[6] notify        KEYS[7] index (state of each task that wants a result)
-- KEYS[8..] idempotency keys of tasks that carry one
-- ARGV[1] idempotency window (ms)  ARGV[2] max depth (0 = unlimited)  ARGV[3] p, the number of pieces
-- ARGV[4] w, the number of tasks that want a result  ARGV[5] i, the number of idempotency keys
-- ARGV[6] now (unix s): the queue's last push, which keeps it from being forgotten while idle
-- ARGV[7 ..] p times 3 values: destination (KEYS index 1-4), not-before (delayed only, else ""), task count
-- then p pieces; then w times 3 values: batch index, id, its index entry (state "p" pending or "s" scheduled,
--   followed by the task's record);
-- then i times 3 values: batch index, id, KEYS index of its idempotency key
-- Returns: {1}: stored
--          {-1, depth}: the batch would exceed the max depth; nothing was written
--          {-2, i1, earlier1, ...}: these 0-based batch indexes duplicate a live task (same id, or same
--          idempotency key within the window); nothing was written: push again without them
local window, max_depth = ARGV[1], tonumber(ARGV[2])
local p, w, n_idem = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local pieces_at, wants_at = 7 + 3 * p, 7 + 4 * p
local idem_at = wants_at + 3 * w

-- The index is read and written a thousand tasks per call, not once per task: calls from Lua cost more than
-- their work.
local CHUNK = 1000
local dups = {-2}
for from = wants_at, idem_at - 1, 3 * CHUNK do
    local to = math.min(from + 3 * CHUNK - 1, idem_at - 1)
    local ids = {}
    for j = from, to, 3 do ids[#ids + 1] = ARGV[j + 1] end
    local found = redis.call('HMGET', KEYS[7], unpack(ids))
    for n = 1, #ids do
        if found[n] then
            dups[#dups + 1] = ARGV[from + 3 * (n - 1)]
            dups[#dups + 1] = ids[n]
        end
    end
end
for j = idem_at, idem_at + 3 * n_idem - 1, 3 do
    local earlier = redis.call('GET', KEYS[tonumber(ARGV[j + 2])])
    if earlier then
        dups[#dups + 1] = ARGV[j]
        dups[#dups + 1] = earlier
    end
end
if #dups > 1 then return dups end

local fresh = 0
for j = 7, pieces_at - 1, 3 do fresh = fresh + tonumber(ARGV[j + 2]) end
if max_depth > 0 then
    local c = redis.call('HMGET', KEYS[5], 'high', 'normal', 'delayed')
    local depth = tonumber(c[1] or 0) + tonumber(c[2] or 0) + tonumber(c[3] or 0)
    if depth + fresh > max_depth then return {-1, depth} end
end

local field = {'high', 'normal', 'delayed', 'delayed'}
local ready = 0
for j = 0, p - 1 do
    local d, due, count = tonumber(ARGV[7 + 3 * j]), ARGV[8 + 3 * j], tonumber(ARGV[9 + 3 * j])
    local piece = ARGV[pieces_at + j]
    if d <= 2 then
        redis.call('RPUSH', KEYS[d], piece)
        ready = ready + count
    else
        redis.call('ZADD', KEYS[d], due, piece)
    end
    redis.call('HINCRBY', KEYS[5], field[d], count)
end
for from = wants_at, idem_at - 1, 3 * CHUNK do
    local entries = {}
    for j = from, math.min(from + 3 * CHUNK - 1, idem_at - 1), 3 do
        entries[#entries + 1] = ARGV[j + 1]
        entries[#entries + 1] = ARGV[j + 2]
    end
    redis.call('HSET', KEYS[7], unpack(entries))
end
for j = idem_at, idem_at + 3 * n_idem - 1, 3 do
    redis.call('SET', KEYS[tonumber(ARGV[j + 2])], ARGV[j + 1], 'PX', window)
end
redis.call('HSET', KEYS[5], 'touched', ARGV[6])
if ready > 0 then
    redis.call('LPUSH', KEYS[6], 1)
    redis.call('LTRIM', KEYS[6], 0, 0)
end
return {1}
