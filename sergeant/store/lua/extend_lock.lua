-- extend_lock: reset a lock's TTL only for the owner holding it.
-- KEYS[1] lock key  ARGV[1] owner token  ARGV[2] TTL (ms)
-- Returns: 1 extended, 0 not held by this owner
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
