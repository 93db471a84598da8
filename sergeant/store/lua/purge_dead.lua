-- purge_dead: dead -> gone.
-- KEYS[1] dead  KEYS[2] tasks  KEYS[3] attempts  KEYS[3 + i] result key of task i
-- ARGV[1..] task ids
-- Returns: the number of dead letters dropped
local dropped = 0
for i = 1, #ARGV do
    local id = ARGV[i]
    if redis.call('ZREM', KEYS[1], id) == 1 then
        redis.call('HDEL', KEYS[2], id)
        redis.call('HDEL', KEYS[3], id)
        redis.call('DEL', KEYS[3 + i])
        dropped = dropped + 1
    end
end
return dropped
