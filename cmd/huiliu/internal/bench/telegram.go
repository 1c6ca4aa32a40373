package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"huiliu/channels"
	"huiliu/channels/telegram"
	"huiliu/channels/telegram/telegramtest"
	"huiliu/desk"
)

// runBenchTelegram measures the Telegram channel end to end against the
// fake Bot API, in this process: updates are polled and committed (in), then
// agent replies go through the outbox to the fake (out).
func runBenchTelegram(ctx context.Context, o Options, args []string, stdout, stderr io.Writer) error {
	var updates, users, replies int
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	a, closeDesk, err := o.OpenDesk(ctx, "bench telegram", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&updates, "updates", 20000, "customer updates to poll and store")
		fs.IntVar(&users, "users", 500, "distinct Telegram users sending them")
		fs.IntVar(&replies, "replies", 2000, "agent replies to send out")
	}, func() error {
		if updates < 1 || users < 1 || replies < 0 {
			return usagef("--updates and --users must be positive, --replies not negative")
		}
		return nil
	}, log)
	if err != nil {
		return err
	}
	defer closeDesk()

	const token = "100000:BENCH"
	fake := telegramtest.Start(token)
	defer fake.Close()
	sink := &countingSink{next: a.Service}
	tg, err := telegram.New([]telegram.Config{{Name: "bench", Token: token, APIEndpoint: fake.Endpoint(), PollTimeout: time.Second}},
		telegram.Deps{Offsets: a.Offsets, Leases: a.Leases, Logger: log})
	if err != nil {
		return err
	}
	run := desk.NewID()
	for i := range updates {
		u := telegramtest.Private(int64(1_000_000+i%users), "客户", fmt.Sprintf("第 %d 条消息 %s：请问我的账单何时到期？", i, run))
		fake.Push(u)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { _ = tg.Run(ctx, sink) }()
	start := time.Now()
	deadline := start.Add(5 * time.Minute)
	for sink.stored.Load() < int64(updates) && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	inElapsed := time.Since(start)
	stored := sink.stored.Load()

	// Out: one agent answers across the conversations.
	agent, err := a.Service.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "bench-" + run + "@example.com", Name: "Bench", Role: desk.RoleAdmin, Password: "bench-" + run})
	if err != nil {
		return err
	}
	page, err := a.Store.Tickets(ctx, desk.TicketFilter{Channel: telegram.ChannelName, Limit: desk.MaxPageSize})
	if err != nil {
		return err
	}
	go a.Service.NewSender(a.Store, tg).Run(ctx)
	outStart := time.Now()
	for i := 0; i < replies && len(page.Tickets) > 0; i++ {
		tk := page.Tickets[i%len(page.Tickets)]
		if _, _, err := a.Service.Post(ctx, desk.AgentActor(agent), desk.PostRequest{TicketID: tk.ID, Kind: desk.KindReply, Text: fmt.Sprintf("回复 %d %s", i, run)}); err != nil {
			return err
		}
	}
	for len(fake.Sent()) < replies && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	outElapsed := time.Since(outStart)
	sent := fake.Sent()
	seen := map[string]int{}
	dupOut := 0
	for _, s := range sent {
		if seen[s.Text]++; seen[s.Text] == 2 {
			dupOut++
		}
	}
	fmt.Fprintf(stdout, "telegram: in %.0f updates/s, out %.0f msg/s, lost %d, duplicated %d\n",
		float64(stored)/inElapsed.Seconds(), float64(len(sent)-dupOut)/outElapsed.Seconds(),
		int64(updates)-stored+int64(max(0, replies-(len(sent)-dupOut))), sink.duplicates.Load()+int64(dupOut))
	return nil
}

// countingSink counts what the desk stored, and replays it answered as
// duplicates (a duplicate in a crash-free run would be a bug).
type countingSink struct {
	next       channels.Sink
	stored     atomic.Int64
	duplicates atomic.Int64
}

func (c *countingSink) Ingest(ctx context.Context, in channels.Inbound) (channels.Receipt, error) {
	rc, err := c.next.Ingest(ctx, in)
	if err == nil {
		if rc.Duplicate {
			c.duplicates.Add(1)
		} else {
			c.stored.Add(1)
		}
	}
	return rc, err
}
