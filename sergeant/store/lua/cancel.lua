-- cancel: pending/scheduled -> cancelled; an active task only gets a cancel request event.
-- KEYS[1] ready:high  KEYS[2] ready:normal  KEYS[3] delayed:high  KEYS[4] delayed:normal
-- KEYS[5] leased      KEYS[6] tasks         KEYS[7] attempts      KEYS[8] result key of the task
-- ARGV[1] now  ARGV[2] task id  ARGV[3] packed cancelled record  ARGV[4] result TTL (ms)
-- ARGV[5] events channel
-- Returns: "finished" | "running" | "cancelled" | "unknown"
local id = ARGV[2]
if redis.call('EXISTS', KEYS[8]) == 1 then return 'finished' end
if redis.call('ZSCORE', KEYS[5], id) then
    redis.call('PUBLISH', ARGV[5], 'B|cancel_requested|' .. ARGV[1] .. '|' .. id)
    return 'running'
end
local removed = redis.call('LREM', KEYS[1], 1, id) + redis.call('LREM', KEYS[2], 1, id)
    + redis.call('ZREM', KEYS[3], id) + redis.call('ZREM', KEYS[4], id)
if removed == 0 then return 'unknown' end
redis.call('HDEL', KEYS[6], id)
redis.call('HDEL', KEYS[7], id)
redis.call('SET', KEYS[8], ARGV[3], 'PX', ARGV[4])
redis.call('PUBLISH', ARGV[5], 'B|cancelled|' .. ARGV[1] .. '|' .. id)
return 'cancelled'
