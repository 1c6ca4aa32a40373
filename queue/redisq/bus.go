package redisq

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"huiliu/queue"
)

type bus Backend

// busKeys names a stream's head (hash: seq, epoch) and log (a Redis
// stream of d = data, e = epoch).
func (b *Backend) busKeys(stream string) (head, log string) {
	return b.key("bus", stream, ":head"), b.key("bus", stream, ":entries")
}

func (b *Backend) busChannel() string { return b.cfg.prefix + "bus" }

func (b *bus) Publish(ctx context.Context, stream string, data []byte) (int64, error) {
	be := (*Backend)(b)
	head, log := be.busKeys(stream)
	seq, err := publishScript.Run(ctx, b.rdb, []string{head, log},
		data, b.cfg.retention, be.busChannel(), stream, ms(b.cfg.streamTTL), queue.NewEpoch()).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisq: publish %s: %w", stream, err)
	}
	return seq, nil
}

func (b *bus) Last(ctx context.Context, stream string) (queue.Position, error) {
	p, err := (*Backend)(b).last(ctx, stream)
	if err != nil {
		return queue.Position{}, fmt.Errorf("redisq: last %s: %w", stream, err)
	}
	return p, nil
}

func (b *Backend) last(ctx context.Context, stream string) (queue.Position, error) {
	head, _ := b.busKeys(stream)
	vals, err := headScript.Run(ctx, b.rdb, []string{head}, queue.NewEpoch(), ms(b.cfg.streamTTL)).Slice()
	if err != nil {
		return queue.Position{}, err
	}
	return parseHead(vals)
}

// parseHead reads an HMGET of seq and epoch (nil for a missing field).
func parseHead(vals []any) (queue.Position, error) {
	var p queue.Position
	if len(vals) != 2 {
		return p, fmt.Errorf("unexpected head %v", vals)
	}
	if s, ok := vals[0].(string); ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return p, fmt.Errorf("unexpected head seq %q", s)
		}
		p.Seq = n
	}
	p.Epoch, _ = vals[1].(string)
	return p, nil
}

func (b *bus) Subscribe(ctx context.Context, stream string, from queue.Position) (<-chan queue.Entry, error) {
	if from.Seq < -1 {
		return nil, invalid("subscribe %s: after %d", stream, from.Seq)
	}
	ch, err := b.hub.subscribe(ctx, stream, from)
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
		e, _ := m.Values["e"].(string)
		out = append(out, queue.Entry{Seq: seq, Epoch: e, Data: []byte(d)})
	}
	return out, nil
}
