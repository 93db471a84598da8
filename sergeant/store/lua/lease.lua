-- lease: pending -> active, for up to COUNT tasks, as one lease with one deadline; promotes due scheduled
-- pieces first. Pieces are taken whole; the head piece is split when only part of it is wanted: the part
-- taken becomes a piece of its own, the part left behind moves its "first" record on.
-- KEYS[1] ready:high  KEYS[2] ready:normal  KEYS[3] delayed:high  KEYS[4] delayed:normal
-- KEYS[5] leased (zset lease id -> deadline)  KEYS[6] leases (hash lease id -> its pieces)
-- KEYS[7] counts      KEYS[8] paused          KEYS[9] notify          KEYS[10] index
-- ARGV[1] now  ARGV[2] count  ARGV[3] lease deadline  ARGV[4] lease id  ARGV[5] events channel
-- Tasks that want a result turn ACTIVE in the index here, in the same atomic step as the lease, unless a cancel
-- marked them first ("c"): those never run; they are settled at once and their positions returned.
-- Returns: {pieces, next_due, cancelled}: the leased pieces back to back ("" when nothing was leased); next_due is
--   the earliest not-before of a scheduled piece when nothing was leased ("" when there is none); the positions
--   (0-based, in lease order) of the cancelled tasks the caller must drop
local HEADER = '>BI4I4dBI4I4I4I4'
local HEADER_SIZE = 34
local now, want = tonumber(ARGV[1]), tonumber(ARGV[2])
if redis.call('EXISTS', KEYS[8]) == 1 then return {'', '', {}} end

local function left_in(piece)
    local _, n, _, _, _, _, first = struct.unpack(HEADER, piece)
    return n - first
end

-- Due scheduled pieces join the tail of their ready list in not-before order.
local field = {'high', 'normal'}
for p = 1, 2 do
    local due = redis.call('ZRANGEBYSCORE', KEYS[p + 2], '-inf', now, 'LIMIT', 0, 1000)
    if #due > 0 then
        local moved = 0
        for _, piece in ipairs(due) do
            redis.call('RPUSH', KEYS[p], piece)
            redis.call('ZREM', KEYS[p + 2], piece)
            moved = moved + left_in(piece)
        end
        redis.call('HINCRBY', KEYS[7], 'delayed', -moved)
        redis.call('HINCRBY', KEYS[7], field[p], moved)
    end
end

local taken, need = {}, want
for p = 1, 2 do
    local from_list = 0
    while need > 0 do
        local piece = redis.call('LINDEX', KEYS[p], 0)
        if not piece then break end
        local version, n, attempt, created, want_results, default_max, first, first_byte, size =
            struct.unpack(HEADER, piece)
        local available = n - first
        if available <= need then
            redis.call('LPOP', KEYS[p])
            taken[#taken + 1] = piece
            need = need - available
            from_list = from_list + available
        else
            local lengths_at = HEADER_SIZE + 1 + 4 * first
            local bytes = 0
            for i = 0, need - 1 do bytes = bytes + struct.unpack('>I4', piece, lengths_at + 4 * i) end
            local records_at = HEADER_SIZE + 1 + 4 * n + first_byte
            taken[#taken + 1] = struct.pack(HEADER, version, need, attempt, created, want_results, default_max,
                0, 0, bytes) .. string.sub(piece, lengths_at, lengths_at + 4 * need - 1)
                .. string.sub(piece, records_at, records_at + bytes - 1)
            redis.call('LSET', KEYS[p], 0, struct.pack(HEADER, version, n, attempt, created, want_results,
                default_max, first + need, first_byte + bytes, size) .. string.sub(piece, HEADER_SIZE + 1))
            from_list = from_list + need
            need = 0
        end
    end
    if from_list > 0 then redis.call('HINCRBY', KEYS[7], field[p], -from_list) end
end

if #taken == 0 then
    local next_due = ''
    for p = 3, 4 do
        local first = redis.call('ZRANGE', KEYS[p], 0, 0, 'WITHSCORES')
        if #first > 0 and (next_due == '' or tonumber(first[2]) < next_due) then next_due = tonumber(first[2]) end
    end
    return {'', tostring(next_due), {}}
end

-- The id of the record at byte "at" of "piece": a record is an array whose first element is the id, a string
-- of at most 128 characters (fixstr or str8), as the gateway and the store check before a record is stored.
local function id_at(piece, at)
    local b = string.byte(piece, at)
    local p = at + 1
    if b == 0xdc then p = at + 3 elseif b == 0xdd then p = at + 5 end
    local s = string.byte(piece, p)
    if s >= 0xa0 and s <= 0xbf then return string.sub(piece, p + 1, p + s - 0xa0) end
    if s == 0xd9 then return string.sub(piece, p + 2, p + 1 + string.byte(piece, p + 1)) end
    return nil
end

local ids, places, position = {}, {}, 0
for _, piece in ipairs(taken) do
    local _, n, _, _, want_results, _, first, first_byte = struct.unpack(HEADER, piece)
    if want_results == 1 then
        local at = HEADER_SIZE + 1 + 4 * n + first_byte
        for i = first, n - 1 do
            local id = id_at(piece, at)
            if id then
                ids[#ids + 1] = id
                places[#ids] = position
            end
            at = at + struct.unpack('>I4', piece, HEADER_SIZE + 1 + 4 * i)
            position = position + 1
        end
    else
        position = position + n - first
    end
end

-- One HMGET, HSET and HDEL per thousand tasks, not one call per task: calls from Lua cost more than their work.
local CHUNK = 1000
local started, cancelled, updates, gone = {}, {}, {}, {}
for from = 1, #ids, CHUNK do
    local to = math.min(from + CHUNK - 1, #ids)
    local entries = redis.call('HMGET', KEYS[10], unpack(ids, from, to))
    for j = from, to do
        local id, entry = ids[j], entries[j - from + 1]
        if entry and string.sub(entry, 1, 1) == 'c' then
            gone[#gone + 1] = id
            cancelled[#cancelled + 1] = places[j]
        else
            updates[#updates + 1] = id
            updates[#updates + 1] = 'a' .. string.sub(entry or ' ', 2)
            started[#started + 1] = id
        end
    end
end
for from = 1, #updates, 2 * CHUNK do
    redis.call('HSET', KEYS[10], unpack(updates, from, math.min(from + 2 * CHUNK - 1, #updates)))
end
for from = 1, #gone, CHUNK do
    redis.call('HDEL', KEYS[10], unpack(gone, from, math.min(from + CHUNK - 1, #gone)))
end

local blob = table.concat(taken)
local leased = want - need - #cancelled
if leased > 0 then
    redis.call('HSET', KEYS[6], ARGV[4], blob)
    redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
    redis.call('HINCRBY', KEYS[7], 'leased', leased)
end
if #cancelled > 0 and leased > 0 then
    local done = {}
    for i = 1, want - need do done[i] = '0' end
    for _, p in ipairs(cancelled) do done[p + 1] = '1' end
    redis.call('HSET', KEYS[6], ARGV[4] .. '|done', table.concat(done))
end
if #started > 0 then
    redis.call('PUBLISH', ARGV[5], 'B|started|' .. ARGV[1] .. '|' .. table.concat(started, ','))
end
-- Wake the next blocked consumer while work remains (one token wakes one waiter).
if redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2]) > 0 then
    redis.call('LPUSH', KEYS[9], 1)
    redis.call('LTRIM', KEYS[9], 0, 0)
end
return {blob, '', cancelled}
