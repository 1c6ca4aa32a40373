package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"huiliu/channels/email"
)

// runEmail is "huiliu email import --mailbox NAME FILE|DIR…".
func runEmail(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usagef("usage: huiliu email import --mailbox NAME [--config FILE] FILE|DIR…  (.eml files and mbox archives)")
	}
	fset := flag.NewFlagSet("email import", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cf := addConfigFlags(fset)
	mailbox := fset.String("mailbox", "", "the [[mailbox]] the mail belongs to (threading and replies use it)")
	if err := fset.Parse(args[1:]); err != nil {
		return err
	}
	cfg, err := cf.load(fset)
	if err != nil {
		return usagef("%v", err)
	}
	if *mailbox == "" || fset.NArg() == 0 {
		return usagef("usage: huiliu email import --mailbox NAME FILE|DIR…")
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		em, err := a.emailChannel(ctx)
		if err != nil {
			return err
		}
		if len(em.Mailboxes()) == 0 {
			return usagef("no mailbox is configured; add mailbox %q to the configuration file or on /admin/mailboxes", *mailbox)
		}
		imp := &importer{ctx: ctx, a: a, em: em, mailbox: *mailbox, progress: stderr, start: time.Now()}
		for _, p := range fset.Args() {
			if err := imp.path(p); err != nil {
				return err
			}
		}
		imp.report()
		fmt.Fprintf(stdout, "email import: %d mails: %d new, %d already stored, %d bounces, %d from our own addresses, %d failed (%s)\n",
			imp.total, imp.n[email.Stored], imp.n[email.Duplicate], imp.n[email.Bounced], imp.n[email.Ours], imp.failed,
			time.Since(imp.start).Round(time.Millisecond))
		if imp.failed > 0 {
			return fmt.Errorf("email import: %d mails not stored (see the log above); run the import again to retry them", imp.failed)
		}
		return nil
	})
}

// importer takes files and archives through the channel's own path.
type importer struct {
	ctx      context.Context
	a        *app
	em       *email.Channel
	mailbox  string
	progress io.Writer
	start    time.Time
	total    int
	failed   int
	n        map[email.Outcome]int
	lastShow time.Time
}

func (im *importer) path(p string) error {
	info, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("email import: %w", err)
	}
	if !info.IsDir() {
		return im.file(p)
	}
	return filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			return im.file(path)
		}
		return nil
	})
}

// file imports one .eml file or mbox archive (told apart by its first line).
func (im *importer) file(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("email import: %w", err)
	}
	defer f.Close()
	head := make([]byte, 5)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("email import %s: %w", p, err)
	}
	if bytes.Equal(head[:n], []byte("From ")) {
		return readMboxFile(f, p, im.one)
	}
	raw, err := io.ReadAll(io.LimitReader(f, email.MaxMailBytes))
	if err != nil {
		return fmt.Errorf("email import %s: %w", p, err)
	}
	return im.one(raw, p)
}

// readMboxFile reads an archive's mails into fn, naming each by its place.
func readMboxFile(r io.Reader, name string, fn func(raw []byte, where string) error) error {
	i := 0
	if err := email.ReadMbox(r, func(raw []byte) error {
		i++
		return fn(raw, fmt.Sprintf("%s #%d", name, i))
	}); err != nil {
		return fmt.Errorf("email import %s: %w", name, err)
	}
	return nil
}

func (im *importer) one(raw []byte, where string) error {
	if err := im.ctx.Err(); err != nil {
		return err
	}
	if im.n == nil {
		im.n = map[email.Outcome]int{}
	}
	im.total++
	out, err := im.em.Deliver(im.ctx, im.mailbox, raw, im.a.svc)
	if err != nil {
		im.failed++
		im.a.log.Error("email import: mail not stored", "mail", where, "err", err)
	} else {
		im.n[out]++
	}
	if time.Since(im.lastShow) > 200*time.Millisecond {
		im.report()
	}
	return nil
}

// report draws the progress line on stderr.
func (im *importer) report() {
	im.lastShow = time.Now()
	rate := float64(im.total) / max(time.Since(im.start).Seconds(), 0.001)
	fmt.Fprintf(im.progress, "\r[%-20s] %d mails, %d new, %d failed, %.0f/s ", bar(im.total), im.total, im.n[email.Stored], im.failed, rate)
}

// bar is a spinner-like bar: the total is unknown until the end.
func bar(n int) string {
	w := n % 21
	return string(bytes.Repeat([]byte("="), w))
}
