-- replay: dead -> pending (tail of its ready list), with its attempts reset.
-- KEYS[1] dead  KEYS[2] ready:high  KEYS[3] ready:normal  KEYS[4] attempts  KEYS[5] notify
-- KEYS[5 + i] result key of task i
-- ARGV[1..] per task, 2 values: id, priority (2 high, 1 normal)
-- Returns: the number of tasks replayed
local replayed = 0
for i = 1, #ARGV, 2 do
    local id = ARGV[i]
    if redis.call('ZREM', KEYS[1], id) == 1 then
        redis.call('DEL', KEYS[5 + (i + 1) / 2])
        redis.call('HDEL', KEYS[4], id)
        redis.call('RPUSH', ARGV[i + 1] == '2' and KEYS[2] or KEYS[3], id)
        replayed = replayed + 1
    end
end
if replayed > 0 then
    redis.call('LPUSH', KEYS[5], 1)
    redis.call('LTRIM', KEYS[5], 0, 0)
end
return replayed
