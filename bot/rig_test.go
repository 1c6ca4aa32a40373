package bot_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/kb"
	"huiliu/queue/memory"
	"huiliu/store"
	"huiliu/store/storetest"
)

// codes records the one-time codes the desk sends, as the file SMS sink
// would, so a test can play the customer.
type codes struct {
	mu   sync.Mutex
	last map[string]string // phone → code
}

func (c *codes) SendCode(_ context.Context, kind, to, code, _ string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last[to] = code
	return nil
}

func (c *codes) of(to string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[to]
}

type rig struct {
	svc   *desk.Service
	db    *store.DB
	eng   *bot.Engine
	kb    *kb.Service
	codes *codes
	otp   *desk.OTP
	clock *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newRig is a desk with the demo help centre, the demo customers and the
// bot on TryChannel and webchat, on whichever database storetest gives.
func newRig(t testing.TB, mod func(*bot.Options)) *rig {
	t.Helper()
	return newRigWith(t, mod, fewArticles(t))
}

// newFullRig has the whole demo help centre (the evaluation set asks
// about all of it); the others need a few articles, and filling the
// index is most of a rig's cost on PostgreSQL.
func newFullRig(t testing.TB) *rig {
	t.Helper()
	return newRigWith(t, nil, kb.Demo())
}

func fewArticles(t testing.TB) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	for _, name := range []string{"categories.yaml", "repay-methods.md", "repay-methods.en.md", "invoice.md", "deposit-refund.md"} {
		data, err := fs.ReadFile(kb.Demo(), name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = &fstest.MapFile{Data: data}
	}
	return out
}

func newRigWith(t testing.TB, mod func(*bot.Options), articles fs.FS) *rig {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 12, 3, 2, 0, 0, 0, time.UTC)}
	db := storetest.New(t)
	svc := desk.NewService(desk.Options{Store: db, Facts: db.FactsSource(), Now: clk.Now,
		BotChannels: []string{bot.TryChannel, "webchat"}})
	f, err := os.Open(filepath.Join("testdata", "eval", "customers.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, probs, err := desk.ParseFacts(f, "json")
	if err != nil || len(probs) > 0 {
		t.Fatalf("customers: %v %v", probs, err)
	}
	if _, err := svc.ImportFacts(ctx, desk.Actor{}, recs, nil); err != nil {
		t.Fatal(err)
	}
	// An index in memory: ten times faster to fill than one on disk.
	ks, err := kb.Open(ctx, kb.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ks.Close() })
	if _, err := ks.Import(ctx, desk.Actor{}, articles); err != nil {
		t.Fatal(err)
	}
	q := memory.New(memory.WithClock(clk.Now))
	cs := &codes{last: map[string]string{}}
	otp, err := desk.NewOTP(svc, desk.OTPOptions{Codes: q.Codes(), Limiter: q.Limiter(), Sender: cs, Key: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	o := bot.Options{Desk: svc, OTP: otp, KB: ks, State: db, Now: clk.Now,
		Default: bot.SiteSettings{Enabled: true, Name: "小汇"}, Channels: []string{"webchat"}}
	if mod != nil {
		mod(&o)
	}
	eng, err := bot.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{svc: svc, db: db, eng: eng, kb: ks, codes: cs, clock: clk, otp: otp}
}

// say is one customer turn on the console conversation key.
func (r *rig) say(t testing.TB, key, text string) (bot.Reply, []bot.Decision) {
	t.Helper()
	rep, ds, err := r.eng.Try(context.Background(), key, text, "")
	if err != nil {
		t.Fatalf("%s: %q: %v", key, text, err)
	}
	return rep, ds
}

func kinds(ds []bot.Decision) []string {
	var out []string
	for _, d := range ds {
		s := string(d.Kind)
		if d.Detail.Reason != "" {
			s += ":" + d.Detail.Reason
		}
		if d.Detail.Result != "" {
			s += ":" + d.Detail.Result
		}
		out = append(out, s)
	}
	return out
}
