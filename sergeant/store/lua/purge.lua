-- purge: pending/scheduled -> gone, for a whole queue. Active and dead tasks are kept.
-- KEYS[1] ready:high  KEYS[2] ready:normal  KEYS[3] delayed:high  KEYS[4] delayed:normal
-- KEYS[5] counts      KEYS[6] index
-- Returns: the number of tasks dropped (not counting those a cancel had already marked: they were gone for good)
local c = redis.call('HMGET', KEYS[5], 'high', 'normal', 'delayed')
local dropped = tonumber(c[1] or 0) + tonumber(c[2] or 0) + tonumber(c[3] or 0)
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
redis.call('HSET', KEYS[5], 'high', 0, 'normal', 0, 'delayed', 0)
-- Tasks that wanted a result lose their queued state with them; active ones keep theirs.
local index = redis.call('HGETALL', KEYS[6])
for i = 1, #index, 2 do
    local state = string.sub(index[i + 1], 1, 1)
    if state == 'p' or state == 's' or state == 'c' then redis.call('HDEL', KEYS[6], index[i]) end
    if state == 'c' then dropped = dropped - 1 end
end
return dropped
