package redisq

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"huiliu/queue"
)

// group is the one consumer group of every work stream: consumers share it
// so each job goes to one of them.
const group = "workers"

type workQueues struct {
	b *Backend
	// ready remembers queues whose group this process has created, to
	// skip XGROUP CREATE on every call.
	ready sync.Map
}

func (w *workQueues) key(name string) string { return w.b.key("work", name, "") }

// ensureGroup creates the group from the stream's start, so jobs pushed
// before the first Claim are not skipped.
func (w *workQueues) ensureGroup(ctx context.Context, key string) error {
	if _, ok := w.ready.Load(key); ok {
		return nil
	}
	err := w.b.rdb.XGroupCreateMkStream(ctx, key, group, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return err
	}
	w.ready.Store(key, true)
	return nil
}

// retryNoGroup runs f once more after recreating the group when Redis lost
// it (a flush or restart since it was created).
func (w *workQueues) retryNoGroup(ctx context.Context, key string, f func() error) error {
	if err := w.ensureGroup(ctx, key); err != nil {
		return err
	}
	err := f()
	if err != nil && strings.Contains(err.Error(), "NOGROUP") {
		w.ready.Delete(key)
		if err := w.ensureGroup(ctx, key); err != nil {
			return err
		}
		err = f()
	}
	return err
}

func (w *workQueues) Push(ctx context.Context, name string, data []byte) (string, error) {
	key := w.key(name)
	if err := w.ensureGroup(ctx, key); err != nil {
		return "", fmt.Errorf("redisq: push %s: %w", name, err)
	}
	id, err := w.b.rdb.XAdd(ctx, &redis.XAddArgs{Stream: key, Values: []any{"d", data}}).Result()
	if err != nil {
		return "", fmt.Errorf("redisq: push %s: %w", name, err)
	}
	return id, nil
}

func (w *workQueues) Claim(ctx context.Context, name, consumer string, n int, visibility time.Duration) ([]queue.Job, error) {
	if n <= 0 || visibility <= 0 {
		return nil, invalid("claim %s: n %d, visibility %v", name, n, visibility)
	}
	key := w.key(name)
	var res []any
	err := w.retryNoGroup(ctx, key, func() error {
		var err error
		res, err = claimScript.Run(ctx, w.b.rdb, []string{key}, group, consumer, ms(visibility), n).Slice()
		return err
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("redisq: claim %s: %w", name, err)
	}
	jobs := make([]queue.Job, 0, len(res)/3)
	for i := 0; i+2 < len(res); i += 3 {
		id, _ := res[i].(string)
		data, _ := res[i+1].(string)
		attempts, _ := res[i+2].(int64)
		jobs = append(jobs, queue.Job{ID: id, Data: []byte(data), Attempts: int(attempts)})
	}
	return jobs, nil
}

func (w *workQueues) Ack(ctx context.Context, name, id string) error {
	key := w.key(name)
	_, err := w.b.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, key, group, id)
		p.XDel(ctx, key, id)
		return nil
	})
	if err != nil && !strings.Contains(err.Error(), "NOGROUP") {
		return fmt.Errorf("redisq: ack %s %s: %w", name, id, err)
	}
	return nil
}
