-- cancel: pending/scheduled -> cancelled; an active task only gets a cancel request event.
-- Only a task that wants a result has a per-task state (the index); a queued one stays in its piece, marked
-- "c", and the lease that takes it drops it before it runs, in one atomic step (lease.lua).
-- KEYS[1] index (task id -> state character followed by the task's record)  KEYS[2] results bucket
-- ARGV[1] now  ARGV[2] task id  ARGV[3] packed cancelled record  ARGV[4] bucket expiry (unix s)
-- ARGV[5] events channel
-- Returns: "cancelled" | "running" | "finished" (already cancelled) | "unknown" (no per-task state)
local id = ARGV[2]
local entry = redis.call('HGET', KEYS[1], id)
if not entry then return 'unknown' end
local state = string.sub(entry, 1, 1)
if state == 'c' then return 'finished' end
if state == 'a' then
    redis.call('PUBLISH', ARGV[5], 'B|cancel_requested|' .. ARGV[1] .. '|' .. id)
    return 'running'
end
redis.call('HSET', KEYS[1], id, 'c' .. string.sub(entry, 2))
redis.call('HSET', KEYS[2], id, ARGV[3])
redis.call('EXPIREAT', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[5], 'B|cancelled|' .. ARGV[1] .. '|' .. id)
return 'cancelled'
