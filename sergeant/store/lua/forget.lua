-- forget: a queue that holds nothing (no ready, delayed, leased or dead task), is not paused and had no push for
-- the idle time is dropped from the queue list by the caller (that set lives in another slot); its counts go.
-- KEYS[1] counts  KEYS[2] dead  KEYS[3] paused
-- ARGV[1] now  ARGV[2] idle time (s)
-- Returns: 1 idle (forget it), 0 in use
local c = redis.call('HMGET', KEYS[1], 'high', 'normal', 'delayed', 'leased', 'touched')
for i = 1, 4 do
    if tonumber(c[i] or 0) ~= 0 then return 0 end
end
if redis.call('ZCARD', KEYS[2]) > 0 or redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if tonumber(c[5] or 0) > tonumber(ARGV[1]) - tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1])
return 1
