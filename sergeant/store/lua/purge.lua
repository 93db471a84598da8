-- purge: pending/scheduled -> gone, for a whole queue. Active and dead tasks are kept.
-- KEYS[1] ready:high  KEYS[2] ready:normal  KEYS[3] delayed:high  KEYS[4] delayed:normal
-- KEYS[5] tasks       KEYS[6] attempts
-- Returns: the number of tasks dropped
local dropped = 0
for k = 1, 4 do
    local ids = k <= 2 and redis.call('LRANGE', KEYS[k], 0, -1) or redis.call('ZRANGE', KEYS[k], 0, -1)
    for s = 1, #ids, 4000 do
        local chunk = {unpack(ids, s, math.min(s + 3999, #ids))}
        redis.call('HDEL', KEYS[5], unpack(chunk))
        redis.call('HDEL', KEYS[6], unpack(chunk))
    end
    dropped = dropped + #ids
    redis.call('DEL', KEYS[k])
end
return dropped
