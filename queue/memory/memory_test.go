package memory_test

import (
	"testing"
	"time"

	"huiliu/queue/memory"
	"huiliu/queue/queuetest"
)

func harness() queuetest.Harness {
	return queuetest.Harness{New: func(t *testing.T, cfg queuetest.Config) queuetest.Instance {
		clock := queuetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
		b := memory.New(memory.WithClock(clock.Now), memory.WithRetention(cfg.Retention),
			memory.WithSubscriberBuffer(cfg.SubscriberBuffer))
		t.Cleanup(func() { _ = b.Close() })
		return queuetest.Instance{
			Backend: b,
			Now:     clock.Now,
			Advance: func(d time.Duration) { clock.Advance(d) },
		}
	}}
}

func TestConformance(t *testing.T) {
	queuetest.Run(t, harness())
}

func BenchmarkPublish(b *testing.B)  { queuetest.BenchmarkPublish(b, memory.New()) }
func BenchmarkSchedule(b *testing.B) { queuetest.BenchmarkSchedule(b, memory.New()) }
func BenchmarkClaimDue(b *testing.B) { queuetest.BenchmarkClaimDue(b, memory.New()) }
