package bench

import (
	"context"
	"testing"
	"time"

	"huiliu/queue/memory"
)

func TestBenchTimersFiresEachOnce(t *testing.T) {
	be := memory.New()
	defer be.Close()
	b := timersBench{Timers: 2000, Spread: 200 * time.Millisecond, Workers: 3, Batch: 50, Schedulers: 4}
	r, err := b.run(context.Background(), be.Timers("bench-test"))
	if err != nil {
		t.Fatal(err)
	}
	if r.fired != 2000 || r.duplicates != 0 || r.missed != 0 || len(r.late) != 2000 {
		t.Fatalf("%s", r)
	}
}
