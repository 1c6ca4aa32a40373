package redisq

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"huiliu/queue"
)

type bus Backend

func (b *Backend) busKeys(stream string) (counter, log string) {
	return b.key("bus", stream, ":seq"), b.key("bus", stream, ":log")
}

func (b *Backend) busChannel() string { return b.cfg.prefix + "bus" }

func (b *bus) Publish(ctx context.Context, stream string, data []byte) (int64, error) {
	be := (*Backend)(b)
	counter, log := be.busKeys(stream)
	seq, err := publishScript.Run(ctx, b.rdb, []string{counter, log},
		data, b.cfg.retention, be.busChannel(), stream, ms(b.cfg.streamTTL)).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisq: publish %s: %w", stream, err)
	}
	return seq, nil
}

func (b *bus) Last(ctx context.Context, stream string) (int64, error) {
	n, err := (*Backend)(b).last(ctx, stream)
	if err != nil {
		return 0, fmt.Errorf("redisq: last %s: %w", stream, err)
	}
	return n, nil
}

func (b *Backend) last(ctx context.Context, stream string) (int64, error) {
	counter, _ := b.busKeys(stream)
	n, err := b.rdb.Get(ctx, counter).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}

func (b *bus) Subscribe(ctx context.Context, stream string, after int64) (<-chan queue.Entry, error) {
	if after < -1 {
		return nil, invalid("subscribe %s: after %d", stream, after)
	}
	ch, err := b.hub.subscribe(ctx, stream, after)
	if err != nil {
		return nil, fmt.Errorf("redisq: subscribe %s: %w", stream, err)
	}
	return ch, nil
}

// streamID is the explicit stream id of seq.
func streamID(seq int64) string { return "0-" + strconv.FormatInt(seq, 10) }

// readLog returns up to n entries of log from seq from on.
func (b *Backend) readLog(ctx context.Context, log string, from int64, n int64) ([]queue.Entry, error) {
	msgs, err := b.rdb.XRangeN(ctx, log, streamID(from), "+", n).Result()
	if err != nil {
		return nil, err
	}
	out := make([]queue.Entry, 0, len(msgs))
	for _, m := range msgs {
		_, s, ok := strings.Cut(m.ID, "-")
		seq, err := strconv.ParseInt(s, 10, 64)
		if !ok || err != nil {
			return out, fmt.Errorf("unexpected stream id %q", m.ID)
		}
		d, _ := m.Values["d"].(string)
		out = append(out, queue.Entry{Seq: seq, Data: []byte(d)})
	}
	return out, nil
}
