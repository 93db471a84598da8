-- ack: active -> succeeded (or cancelled), storing each task's result record with the result TTL.
-- KEYS[1] leased  KEYS[2] leases  KEYS[3] tasks  KEYS[4] attempts  KEYS[4 + i] result key of task i
-- ARGV[1] now  ARGV[2] result TTL (ms)  ARGV[3] events channel
-- ARGV[4..] per task, 4 values: id, lease id, the packed result record but its last field (the attempt,
--   appended here, where it is known), and the event that announces it: "succeeded" or "cancelled"
-- Returns: {c1, c2, ...}: 1 acked, 0 the lease was not held (expired, released, already settled, or an
--   earlier ack of the same task in this batch settled it)
local n = (#ARGV - 3) / 4

-- unpack() is bounded by the Lua C stack, so big batches go in chunks
local function chunked(command, key, values)
    local replies = {}
    for s = 1, #values, 4000 do
        local reply = redis.call(command, key, unpack(values, s, math.min(s + 3999, #values)))
        if type(reply) == 'table' then
            for j = 1, #reply do replies[s + j - 1] = reply[j] end
        end
    end
    return replies
end

local ids = {}
for i = 1, n do ids[i] = ARGV[4 * i] end
local holders = chunked('HMGET', KEYS[2], ids)
local attempts = chunked('HMGET', KEYS[4], ids)
local codes, won, settled, done = {}, {}, {}, {succeeded = {}, cancelled = {}}
for i = 1, n do
    local id = ids[i]
    if holders[i] == ARGV[4 * i + 1] and not settled[id] then
        settled[id] = true
        won[#won + 1] = id
        redis.call('SET', KEYS[4 + i], ARGV[4 * i + 2] .. cmsgpack.pack(tonumber(attempts[i] or '0')), 'PX', ARGV[2])
        local announced = done[ARGV[4 * i + 3]]
        announced[#announced + 1] = id
        codes[i] = 1
    else
        codes[i] = 0
    end
end
if #won > 0 then
    chunked('ZREM', KEYS[1], won)
    chunked('HDEL', KEYS[2], won)
    chunked('HDEL', KEYS[3], won)
    chunked('HDEL', KEYS[4], won)
end
for kind, announced in pairs(done) do
    if #announced > 0 then
        redis.call('PUBLISH', ARGV[3], 'B|' .. kind .. '|' .. ARGV[1] .. '|' .. table.concat(announced, ','))
    end
end
return codes
