-- purge_dead: dead -> gone.
-- KEYS[1] dead  KEYS[2] tasks  KEYS[2 + i] result key of task i
-- ARGV[1..] task ids
-- Returns: the number of dead letters dropped
local dropped = 0
for i = 1, #ARGV do
    local id = ARGV[i]
    if redis.call('ZREM', KEYS[1], id) == 1 then
        redis.call('HDEL', KEYS[2], id)
        redis.call('DEL', KEYS[2 + i])
        dropped = dropped + 1
    end
end
return dropped
