-- extend: active -> active with a later deadline, for a lease still held.
-- KEYS[1] leased  KEYS[2] leases
-- ARGV[1] new deadline  ARGV[2] lease id
-- Returns: 1 extended, 0 the lease is not held
if not redis.call('HGET', KEYS[2], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', ARGV[1], ARGV[2])
return 1
