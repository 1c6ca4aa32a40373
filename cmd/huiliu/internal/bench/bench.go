// Package bench holds the load generators of "huiliu bench": each drives
// a desk from outside (HTTP, websockets, a fake Telegram) or a queue
// backend and prints one summary line a person or a test can read.
package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"huiliu/channels/email"
	"huiliu/channels/telegram"
	"huiliu/desk"
	"huiliu/kb"
	"huiliu/queue"
)

// Run runs "huiliu bench <args>": ingest, telegram, chat or timers. A
// mistake in how it was called is a UsageError.
func Run(ctx context.Context, o Options, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "telegram" {
		return runBenchTelegram(ctx, o, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "chat" {
		return runBenchChat(ctx, o, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "timers" {
		return runBenchTimers(ctx, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "email" {
		return runBenchEmail(ctx, o, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "kb" {
		return runBenchKB(ctx, o, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "phone" {
		return runBenchPhone(ctx, o, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "reports" {
		return runBenchReports(ctx, o, args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "ingest" {
		return runBenchIngest(ctx, args[1:], stdout, stderr)
	}
	return usagef("usage: huiliu bench ingest --url URL --token T [--clients 32] [--duration 20s] [--customers 1000]\n       huiliu bench telegram [--updates 20000] [--users 500] [--replies 2000]\n       huiliu bench chat --url URL --token T [--customers 200] [--agents 4] [--rate 1000] [--duration 20s] [--idle N]\n       huiliu bench timers [--timers 1000000] [--spread 2m] [--redis-url URL]\n       huiliu bench email [--messages 2000] [--threads 200] [--imap imap://user:password@host:port]\n       huiliu bench kb [--articles 10000] [--searches 5000]\n       huiliu bench phone [--calls 2000] [--clients 16] [--customers 500]\n       huiliu bench reports [--tickets 1000000] [--requests 200]\n         (start the desk with --webchat-messages-per-minute 100000 for bench chat)")
}

// Options are what the benches need from the command's wiring.
type Options struct {
	// OpenDesk parses args as the command's configuration flags plus the
	// ones define adds, runs check on them, and opens a desk in this
	// process on a fresh store unless a database is configured (a run must
	// not mix with a desk's real data); closeDesk releases it all.
	OpenDesk func(ctx context.Context, name string, args []string, stderr io.Writer, define func(*flag.FlagSet), check func() error, log *slog.Logger) (d LocalDesk, closeDesk func(), err error)
	// RaiseOpenFiles lifts the open-files limit and returns it.
	RaiseOpenFiles func() (uint64, error)
}

// LocalDesk is a desk opened in this process.
type LocalDesk struct {
	Service *desk.Service
	Store   interface {
		desk.OutboxStore
		Tickets(ctx context.Context, f desk.TicketFilter) (desk.TicketPage, error)
	}
	Offsets telegram.OffsetStore
	Leases  queue.Leases
	// Email is what the email channel needs over this desk's store.
	Email email.Deps
	// KB is the knowledge base's record (bench kb).
	KB kb.Store
	// KPI answers reports; History loads synthetic history (bench reports).
	KPI     *desk.KPI
	History HistoryLoader
}

// UsageError is a mistake in how a bench was called (exit status 2).
type UsageError string

func (u UsageError) Error() string { return string(u) }

func usagef(format string, args ...any) error { return UsageError(fmt.Sprintf(format, args...)) }
