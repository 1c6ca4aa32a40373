// Command huiliu runs the desk and its admin tasks.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type command struct {
	name  string
	usage string
	run   func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the desk server", runServe},
		{"migrate", "apply database migrations and exit", runMigrate},
		{"agent", "manage agent accounts: agent add --email E --name N --role R [--team T]", runAgent},
		{"token", "manage API tokens: token add --agent E --name N", runToken},
		{"kb", "knowledge base: kb import DIR | kb export DIR (Markdown with YAML front matter)", runKB},
		{"demo", "load demo agents, teams, a chat site and conversations", runDemo},
		{"email", "email channel: email import --mailbox NAME FILE|DIR… (.eml, mbox)", runEmail},
		{"facts", "customer records: facts import FILE.json|csv", runFacts},
		{"bot", "the bot: bot eval --questions FILE.jsonl [--dialogues FILE.jsonl]", runBot},
		{"phone", "phone channel: phone import --line NAME FILE.csv | phone extension --agent EMAIL EXT", runPhone},
		{"bench", "measure: bench ingest | telegram | chat | timers | kb | email | bot | phone (huiliu bench -h)", runBench},
		{"retention", "purge personal data of long-closed tickets: retention purge [--dry-run] [--days N]", runRetention},
		{"version", "print the version", runVersion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], stdin, stdout, stderr)
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if err != nil {
			fmt.Fprintf(stderr, "huiliu %s: %v\n", c.name, err)
			var u usageError
			if errors.As(err, &u) {
				return 2
			}
			return 1
		}
		return 0
	}
	fmt.Fprintf(stderr, "huiliu: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: huiliu <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nEvery command takes the configuration flags of serve (--config, --addr, --data, --database-url, --redis-url ...); run 'huiliu serve -h' for the list.")
}

// usageError is a mistake in how a command was called (exit status 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func runVersion(_ context.Context, _ []string, _ io.Reader, stdout, _ io.Writer) error {
	fmt.Fprintf(stdout, "huiliu %s\n", version)
	return nil
}
