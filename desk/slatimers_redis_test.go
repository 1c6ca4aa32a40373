package desk_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/queue/redisq"
	"huiliu/store/storetest"
)

// slaRedisDB is the Redis database the SLA tests may flush.
const slaRedisDB = 7

// slaRedis returns a Redis URL (REDIS_URL moved to slaRedisDB, or a
// miniredis) and a function that flushes exactly that database.
func slaRedis(t *testing.T) (string, func()) {
	t.Helper()
	if ru := os.Getenv("REDIS_URL"); ru != "" {
		u, err := url.Parse(ru)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = fmt.Sprintf("/%d", slaRedisDB)
		opt, err := redis.ParseURL(u.String())
		if err != nil {
			t.Fatal(err)
		}
		c := redis.NewClient(opt)
		t.Cleanup(func() { c.Close() })
		flush := func() {
			if err := c.FlushDB(context.Background()).Err(); err != nil {
				t.Fatal(err)
			}
		}
		flush()
		return u.String(), flush
	}
	mr := miniredis.RunT(t)
	return "redis://" + mr.Addr(), mr.FlushAll
}

func TestSLATimersRebuiltAfterRedisFlush(t *testing.T) {
	ctx := context.Background()
	ru, flush := slaRedis(t)
	q, err := redisq.New(ctx, ru)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	timers := q.Timers("sla")
	db := storetest.New(t)
	clock := newSLAClock(cstAt("2026-12-31 17:00"))
	w := desk.NewSLAWorker(timers)
	svc := desk.NewService(desk.Options{Store: db, Now: clock.Now, Observers: []desk.Observer{w}})
	slaPolicy(t, svc)
	rc := ingest(t, svc, channels.Inbound{Channel: "api", ExternalID: "r1", ThreadKey: "t",
		From: channels.Party{Kind: "api", Value: "cust-r"}, Text: "年底还能处理吗"})
	w.Flush(ctx)
	if n, _ := timers.Len(ctx); n != 1 {
		t.Fatalf("timers = %d", n)
	}
	flush()
	if n, _ := timers.Len(ctx); n != 0 {
		t.Fatalf("after flush: %d", n)
	}
	if err := w.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := timers.Len(ctx); n != 1 {
		t.Fatalf("rebuilt timers = %d, want 1", n)
	}
	// Over the year end: 1h on 31 Dec, then 2027 has no built-in holidays
	// yet, so 1 Jan (a Friday) is worked: 80 % of 2h (96 min) falls at
	// 09:36 on 1 Jan.
	clock.Set(cstAt("2027-01-01 09:35"))
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slaEntries(t, db, rc.TicketID, "sla_escalation"); len(got) != 0 {
		t.Fatalf("early: %+v", got)
	}
	clock.Set(cstAt("2027-01-01 09:36"))
	if err := w.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if got := slaEntries(t, db, rc.TicketID, "sla_escalation"); len(got) != 1 {
		t.Fatalf("after the rebuilt timer fired: %d entries", len(got))
	}
}
