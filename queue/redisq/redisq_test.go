package redisq_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"huiliu/queue"
	"huiliu/queue/queuetest"
	"huiliu/queue/redisq"
)

func open(t testing.TB, url string, opts ...redisq.Option) *redisq.Backend {
	t.Helper()
	b, err := redisq.New(context.Background(), url, opts...)
	if err != nil {
		t.Fatalf("redisq.New: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func busOptions(cfg queuetest.Config) []redisq.Option {
	return []redisq.Option{
		redisq.WithRetention(cfg.Retention),
		redisq.WithSubscriberBuffer(cfg.SubscriberBuffer),
		redisq.WithPollInterval(200 * time.Millisecond),
	}
}

// TestMiniredis runs the suite on miniredis, whose clock follows the fake
// clock so TTLs, stream idle times and presence expiry move together.
func TestMiniredis(t *testing.T) {
	queuetest.Run(t, queuetest.Harness{New: func(t *testing.T, cfg queuetest.Config) queuetest.Instance {
		mr := miniredis.RunT(t)
		clock := queuetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
		mr.SetTime(clock.Now())
		mr.ClockTTL(true)
		opts := append(busOptions(cfg), redisq.WithClock(clock.Now))
		url := "redis://" + mr.Addr()
		be := open(t, url, opts...)
		return queuetest.Instance{
			Backend: be,
			Peer:    func(t *testing.T) queue.Backend { return open(t, url, opts...) },
			Lose: func(t *testing.T) queue.Backend {
				mr.FlushAll()
				return be
			},
			Now:     clock.Now,
			Advance: func(d time.Duration) { mr.SetTime(clock.Advance(d)) },
		}
	}})
}

// TestRedis runs the suite on the Redis at REDIS_URL, each test under its
// own random prefix, deleted afterwards.
func TestRedis(t *testing.T) {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		t.Skip("REDIS_URL not set")
	}
	queuetest.Run(t, queuetest.Harness{RealTime: true, New: func(t *testing.T, cfg queuetest.Config) queuetest.Instance {
		prefix := randomPrefix(t)
		t.Cleanup(func() { deleteKeys(t, url, prefix) })
		opts := append(busOptions(cfg), redisq.WithPrefix(prefix))
		be := open(t, url, opts...)
		return queuetest.Instance{
			Backend: be,
			Peer:    func(t *testing.T) queue.Backend { return open(t, url, opts...) },
			// The server is shared, so this flushes the test's own keys.
			Lose: func(t *testing.T) queue.Backend {
				deleteKeys(t, url, prefix)
				return be
			},
			Now:     time.Now,
			Advance: time.Sleep,
		}
	}})
}

func randomPrefix(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return "huiliu-test:" + hex.EncodeToString(b[:]) + ":"
}

func deleteKeys(t testing.TB, url, prefix string) {
	o, err := redis.ParseURL(url)
	if err != nil {
		t.Error(err)
		return
	}
	rdb := redis.NewClient(o)
	defer rdb.Close()
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Errorf("scan %s*: %v", prefix, err)
		return
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		if err := rdb.Del(ctx, keys[:n]...).Err(); err != nil {
			t.Errorf("delete test keys: %v", err)
			return
		}
		keys = keys[n:]
	}
}

// benchBackend opens the Redis at REDIS_URL under a fresh prefix; the
// benchmarks skip without it (miniredis figures would mean nothing).
func benchBackend(b *testing.B) *redisq.Backend {
	url := os.Getenv("REDIS_URL")
	if url == "" {
		b.Skip("REDIS_URL not set")
	}
	prefix := randomPrefix(b)
	b.Cleanup(func() { deleteKeys(b, url, prefix) })
	return open(b, url, redisq.WithPrefix(prefix))
}

func BenchmarkPublish(b *testing.B)  { queuetest.BenchmarkPublish(b, benchBackend(b)) }
func BenchmarkSchedule(b *testing.B) { queuetest.BenchmarkSchedule(b, benchBackend(b)) }
func BenchmarkClaimDue(b *testing.B) { queuetest.BenchmarkClaimDue(b, benchBackend(b)) }
