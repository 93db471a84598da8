-- replay: dead -> pending (pieces at the tail of their ready list), with attempts reset.
-- KEYS[1] dead  KEYS[2] ready:high  KEYS[3] ready:normal  KEYS[4] tasks  KEYS[5] counts  KEYS[6] notify
-- KEYS[7] index  KEYS[7 + i] result key of task i
-- ARGV[1..] per task, 4 values: id, priority (2 high, 1 normal), its one-task piece, and its index entry ("p"
--   and its record) when it wants a result, else ""
-- Returns: the number of tasks replayed
local replayed = 0
for i = 1, #ARGV, 4 do
    local id, n = ARGV[i], (i + 3) / 4
    if redis.call('ZREM', KEYS[1], id) == 1 then
        redis.call('DEL', KEYS[7 + n])
        redis.call('HDEL', KEYS[4], id)
        local high = ARGV[i + 1] == '2'
        redis.call('RPUSH', high and KEYS[2] or KEYS[3], ARGV[i + 2])
        redis.call('HINCRBY', KEYS[5], high and 'high' or 'normal', 1)
        if ARGV[i + 3] ~= '' then redis.call('HSET', KEYS[7], id, ARGV[i + 3]) end
        replayed = replayed + 1
    end
end
if replayed > 0 then
    redis.call('LPUSH', KEYS[6], 1)
    redis.call('LTRIM', KEYS[6], 0, 0)
end
return replayed
