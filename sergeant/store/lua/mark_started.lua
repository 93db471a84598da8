-- mark_started: leased tasks that want a result become ACTIVE in the index before they run, unless a cancel
-- came first ("c"): those must never run, and are dropped (their CANCELLED record is already stored).
-- Atomic with cancel.lua, so a cancel either finds the task queued (it never runs) or active (its worker is
-- told to stop it).
-- KEYS[1] index (task id -> state character followed by the task's record)
-- ARGV[1] now  ARGV[2] events channel  ARGV[3..] task ids
-- Returns: the ids that were cancelled
local started, cancelled = {}, {}
for i = 3, #ARGV do
    local id = ARGV[i]
    local entry = redis.call('HGET', KEYS[1], id) or ''
    if string.sub(entry, 1, 1) == 'c' then
        redis.call('HDEL', KEYS[1], id)
        cancelled[#cancelled + 1] = id
    else
        redis.call('HSET', KEYS[1], id, 'a' .. string.sub(entry, 2))
        started[#started + 1] = id
    end
end
if #started > 0 then
    redis.call('PUBLISH', ARGV[2], 'B|started|' .. ARGV[1] .. '|' .. table.concat(started, ','))
end
return cancelled
