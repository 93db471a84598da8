-- ack: active -> succeeded (or cancelled), storing each task's result record with the result TTL.
-- KEYS[1] leased  KEYS[2] leases  KEYS[3] tasks  KEYS[4] attempts  KEYS[4 + i] result key of task i
-- ARGV[1] now  ARGV[2] result TTL (ms)  ARGV[3] events channel
-- ARGV[4..] per task, 4 values: id, lease id, the packed result record but its last field (the attempt,
--   appended here, where it is known), and the event that announces it: "succeeded" or "cancelled"
-- Returns: {c1, c2, ...}: 1 acked, 0 the lease was not held (expired, released or already settled)
local codes, done = {}, {succeeded = {}, cancelled = {}}
for i = 4, #ARGV, 4 do
    local id, n = ARGV[i], i / 4
    if redis.call('HGET', KEYS[2], id) == ARGV[i + 1] then
        redis.call('ZREM', KEYS[1], id)
        redis.call('HDEL', KEYS[2], id)
        redis.call('HDEL', KEYS[3], id)
        local attempt = tonumber(redis.call('HGET', KEYS[4], id) or '0')
        redis.call('HDEL', KEYS[4], id)
        redis.call('SET', KEYS[4 + n], ARGV[i + 2] .. cmsgpack.pack(attempt), 'PX', ARGV[2])
        codes[n] = 1
        local ids = done[ARGV[i + 3]]
        ids[#ids + 1] = id
    else
        codes[n] = 0
    end
end
for kind, ids in pairs(done) do
    if #ids > 0 then
        redis.call('PUBLISH', ARGV[3], 'B|' .. kind .. '|' .. ARGV[1] .. '|' .. table.concat(ids, ','))
    end
end
return codes
