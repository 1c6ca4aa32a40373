package kb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"huiliu/queue"
)

// Stream is the bus stream on which nodes tell each other what changed.
const Stream = "kb"

// change is one entry on the stream: articles to re-read from SQL (with
// the generation their commit made), or the synonyms to reload.
type change struct {
	IDs        []string `json:"ids,omitempty"`
	Generation int64    `json:"gen,omitempty"`
	Synonyms   bool     `json:"synonyms,omitempty"`
}

// changed applies a committed change to this node's index and tells the
// other nodes. A failure here leaves SQL right and the index behind until
// the next change or start; it is logged, not returned, because the commit
// already happened.
func (s *Service) changed(ctx context.Context, id string, gen int64) {
	if err := s.idx.refresh(ctx, s.store, []string{id}, gen); err != nil {
		s.log.Error("kb: update index", "article", id, "err", err)
	}
	s.announce(ctx, change{IDs: []string{id}, Generation: gen})
}

func (s *Service) announce(ctx context.Context, c change) {
	if s.bus == nil {
		return
	}
	data, _ := json.Marshal(c) // plain struct; never fails
	if _, err := s.bus.Publish(context.WithoutCancel(ctx), Stream, data); err != nil {
		s.log.Error("kb: publish change", "err", err)
	}
}

// Run keeps this node's index current from the bus until ctx ends. A
// subscriber that missed entries (a reset) rebuilds from SQL.
//
// Every CheckInterval it also compares the index with the store's
// generation and rebuilds when the store is ahead: a change made by a
// process on another bus (huiliu kb import on a desk without Redis) or
// lost with Redis reaches the index that way.
func (s *Service) Run(ctx context.Context) error {
	go s.checkLoop(ctx)
	if s.bus == nil {
		<-ctx.Done()
		return nil
	}
	from := s.from
	for ctx.Err() == nil {
		ch, err := s.bus.Subscribe(ctx, Stream, from)
		if err != nil {
			return fmt.Errorf("kb: subscribe: %w", err)
		}
		for e := range ch {
			from = queue.Position{Epoch: e.Epoch, Seq: e.Seq}
			s.apply(ctx, e)
		}
	}
	return nil
}

// CheckInterval is how often Run compares the index with the store.
const CheckInterval = 30 * time.Second

func (s *Service) checkLoop(ctx context.Context) {
	t := time.NewTicker(CheckInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		gen, err := s.store.KBGeneration(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("kb: generation check", "err", err)
			}
			continue
		}
		if gen <= s.idx.generation() {
			continue
		}
		s.log.Info("kb: index behind the store; rebuilding", "index_generation", s.idx.generation(), "generation", gen)
		if err := s.idx.rebuild(ctx, s.store); err != nil {
			s.log.Error("kb: rebuild index", "err", err)
		}
		if err := s.reloadSynonyms(ctx); err != nil {
			s.log.Error("kb: reload synonyms", "err", err)
		}
	}
}

func (s *Service) apply(ctx context.Context, e queue.Entry) {
	if e.Reset {
		s.log.Info("kb: change stream reset; rebuilding the index from SQL")
		if err := s.idx.rebuild(ctx, s.store); err != nil {
			s.log.Error("kb: rebuild index", "err", err)
		}
		if err := s.reloadSynonyms(ctx); err != nil {
			s.log.Error("kb: reload synonyms", "err", err)
		}
		return
	}
	var c change
	if err := json.Unmarshal(e.Data, &c); err != nil {
		s.log.Warn("kb: bad change entry", "seq", e.Seq, "err", err)
		return
	}
	if c.Synonyms {
		if err := s.reloadSynonyms(ctx); err != nil {
			s.log.Error("kb: reload synonyms", "err", err)
		}
	}
	if len(c.IDs) > 0 {
		if err := s.idx.refresh(ctx, s.store, c.IDs, c.Generation); err != nil {
			s.log.Error("kb: update index", "articles", c.IDs, "err", err)
		}
	}
}
