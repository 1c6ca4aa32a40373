package redisq

import "github.com/redis/go-redis/v9"

// publishScript numbers an entry from the stream's head (a hash of seq
// and epoch), appends it with the explicit id 0-<seq> (so XRANGE by seq
// needs no lookup) and its epoch, and notifies every node. A head that
// vanished starts a new epoch; if the log survived it (eviction), numbering
// continues after the log in the log's epoch, since nothing was skipped.
//
// KEYS: head, log. ARGV: data, retention, channel, stream, ttl ms, new epoch.
var publishScript = redis.NewScript(`
redis.call('HSETNX', KEYS[1], 'epoch', ARGV[6])
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local epoch = redis.call('HGET', KEYS[1], 'epoch')
local r = redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '0-' .. seq, 'd', ARGV[1], 'e', epoch)
if type(r) == 'table' and r.err then
  local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  if last[1] then
    seq = tonumber(string.match(last[1][1], '%-(%d+)$')) + 1
    local f = last[1][2]
    for i = 1, #f, 2 do
      if f[i] == 'e' then epoch = f[i + 1] end
    end
  else
    redis.call('DEL', KEYS[2])
  end
  redis.call('HSET', KEYS[1], 'seq', seq, 'epoch', epoch)
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '0-' .. seq, 'd', ARGV[1], 'e', epoch)
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('PUBLISH', ARGV[3], seq .. ' ' .. ARGV[4])
return seq
`)

// headScript returns a stream's seq and epoch, giving a stream without a
// head its epoch now (with the stream's TTL) so that a position read before
// the first entry stays valid when it is published.
//
// KEYS: head. ARGV: new epoch, ttl ms. Returns seq (or false), epoch.
var headScript = redis.NewScript(`
if redis.call('HSETNX', KEYS[1], 'epoch', ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('HMGET', KEYS[1], 'seq', 'epoch')
`)

// claimScript first takes over jobs idle for at least the visibility
// (their consumer is presumed dead), then new ones, and reports each job's
// delivery count as its attempts.
//
// KEYS: stream. ARGV: group, consumer, min idle ms, n.
// Returns a flat list id, data, attempts, ...
var claimScript = redis.NewScript(`
local out = {}
local n = tonumber(ARGV[4])
local got = 0
local cursor = '0-0'
for _ = 1, 100 do
  local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], cursor, 'COUNT', n - got)
  for _, e in ipairs(r[2]) do
    if type(e) == 'table' and type(e[2]) == 'table' then
      local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
      local count = 1
      if p[1] then count = p[1][4] end
      table.insert(out, e[1]); table.insert(out, e[2][2]); table.insert(out, count)
      got = got + 1
    end
  end
  cursor = r[1]
  if got >= n or cursor == '0-0' then break end
end
if got < n then
  local g = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', n - got, 'STREAMS', KEYS[1], '>')
  if g and g[1] then
    for _, e in ipairs(g[1][2]) do
      table.insert(out, e[1]); table.insert(out, e[2][2]); table.insert(out, 1)
    end
  end
end
return out
`)

// claimDueScript pops up to n due timers, so each goes to one caller.
//
// KEYS: zset. ARGV: now ms, n. Returns member, score, ...
var claimDueScript = redis.NewScript(`
local r = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[2])
for i = 1, #r, 2 do
  redis.call('ZREM', KEYS[1], r[i])
end
return r
`)

// heartbeatScript records a connection as "state|expiry ms" and keeps the
// agent in the index scored by its latest expiry, so All can skip agents
// with nothing alive. The key TTL is only garbage collection; expiry is
// judged from the stored times.
//
// KEYS: agent hash, index. ARGV: conn, value, expiry ms, agent, key ttl ms.
var heartbeatScript = redis.NewScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[5]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
local s = redis.call('ZSCORE', KEYS[2], ARGV[4])
if (not s) or tonumber(s) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
end
return 1
`)

// presenceStateScript prunes an agent's expired connections and returns
// the live states.
//
// KEYS: agent hash, index. ARGV: now ms, agent.
var presenceStateScript = redis.NewScript(`
local all = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #all, 2 do
  local state, exp = string.match(all[i+1], '^(.*)|(%d+)$')
  if exp and tonumber(exp) > tonumber(ARGV[1]) then
    table.insert(out, state)
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
if #out == 0 then
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return out
`)

// leaveScript forgets a connection, and the agent once none is left.
//
// KEYS: agent hash, index. ARGV: conn, agent.
var leaveScript = redis.NewScript(`
redis.call('HDEL', KEYS[1], ARGV[1])
if redis.call('HLEN', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[2])
end
return 1
`)

// allowScript counts a hit in a fixed window that starts with its first
// hit. A key left without TTL (should never happen) gets one, so a window
// can never last forever.
//
// KEYS: counter. ARGV: window ms. Returns count, ms left.
var allowScript = redis.NewScript(`
local c = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {c, ttl}
`)

// issueScript replaces a code.
//
// KEYS: code hash. ARGV: digest, attempts, ttl ms.
var issueScript = redis.NewScript(`
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'h', ARGV[1], 'left', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`)

// checkScript compares digests (equal-length hex of a hash, so comparing
// them leaks nothing useful about the code) and counts the attempt. An
// exhausted code is kept, emptied, until its TTL so later checks can say
// why they fail.
//
// KEYS: code hash. ARGV: digest.
// Returns 1 match, 0 mismatch, -1 absent or expired, -2 exhausted.
var checkScript = redis.NewScript(`
local h = redis.call('HGET', KEYS[1], 'h')
if not h then return -1 end
local left = tonumber(redis.call('HGET', KEYS[1], 'left'))
if left <= 0 then return -2 end
if h == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
left = left - 1
if left <= 0 then
  redis.call('HSET', KEYS[1], 'h', '', 'left', 0)
else
  redis.call('HSET', KEYS[1], 'left', left)
end
return 0
`)

// acquireScript takes a free lease or renews the holder's own.
//
// KEYS: lease. ARGV: holder, ttl ms. Returns 1 held, 0 held by another.
var acquireScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`)

// releaseScript deletes a lease only for its holder.
//
// KEYS: lease. ARGV: holder. Returns 1 released, 0 free, -1 held by another.
var releaseScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
if v == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return -1
`)
