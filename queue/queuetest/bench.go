package queuetest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"huiliu/queue"
)

// BenchmarkPublish measures Publish on one stream, from parallel
// goroutines, with one live subscriber draining it.
func BenchmarkPublish(b *testing.B, be queue.Backend) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch, err := be.Bus().Subscribe(ctx, "bench", queue.Live)
	if err != nil {
		b.Fatal(err)
	}
	go func() {
		for range ch {
		}
	}()
	data := []byte(`{"type":"message.created","ticket":"T-1001"}`)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := be.Bus().Publish(ctx, "bench", data); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkSchedule measures Schedule of distinct keys.
func BenchmarkSchedule(b *testing.B, be queue.Backend) {
	ctx := context.Background()
	tm := be.Timers("bench-schedule")
	base := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := tm.Schedule(ctx, "t"+strconv.Itoa(i), base.Add(time.Duration(i)*time.Millisecond)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaimDue measures claiming due timers in batches of 10 from a
// set that also holds many timers not yet due; b.N counts timers claimed.
func BenchmarkClaimDue(b *testing.B, be queue.Backend) {
	ctx := context.Background()
	tm := be.Timers("bench-claim")
	base := time.UnixMilli(1_900_000_000_000)
	for i := range 10000 {
		if err := tm.Schedule(ctx, "later"+strconv.Itoa(i), base.Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	const batch = 10
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += batch {
		b.StopTimer()
		for j := range batch {
			if err := tm.Schedule(ctx, "due"+strconv.Itoa(i+j), base.Add(time.Duration(j)*time.Millisecond)); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		got, err := tm.ClaimDue(ctx, base.Add(time.Minute), batch)
		if err != nil || len(got) != batch {
			b.Fatalf("ClaimDue = %d timers, %v", len(got), err)
		}
	}
}
