package memory_test

import (
	"testing"
	"time"

	"huiliu/queue"
	"huiliu/queue/memory"
	"huiliu/queue/queuetest"
)

func harness() queuetest.Harness {
	return queuetest.Harness{New: func(t *testing.T, cfg queuetest.Config) queuetest.Instance {
		clock := queuetest.NewClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
		open := func() *memory.Backend {
			b := memory.New(memory.WithClock(clock.Now), memory.WithRetention(cfg.Retention),
				memory.WithSubscriberBuffer(cfg.SubscriberBuffer))
			t.Cleanup(func() { _ = b.Close() })
			return b
		}
		b := open()
		return queuetest.Instance{
			Backend: b,
			// A restart: the process's state is gone with it.
			Lose: func(t *testing.T) queue.Backend {
				_ = b.Close()
				return open()
			},
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
