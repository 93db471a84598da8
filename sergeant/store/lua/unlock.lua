-- unlock: release a lock only for the owner holding it.
-- KEYS[1] lock key  ARGV[1] owner token
-- Returns: 1 released, 0 not held by this owner
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
