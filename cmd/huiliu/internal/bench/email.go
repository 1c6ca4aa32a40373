package bench

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-imap/client"

	"huiliu/channels/email"
	"huiliu/desk"
)

// runBenchEmail appends mails to an IMAP server (the test Dovecot of
// HUILIU_TEST_IMAP, or --imap), then measures the email channel importing
// them into a desk in this process: the rate from the first to the last
// commit, and how many were lost or stored twice.
func runBenchEmail(ctx context.Context, o Options, args []string, stdout, stderr io.Writer) error {
	var messages, threads int
	var imapURL string
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	a, closeDesk, err := o.OpenDesk(ctx, "bench email", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&messages, "messages", 2000, "mails to append and import")
		fs.IntVar(&threads, "threads", 200, "distinct senders (one thread each)")
		fs.StringVar(&imapURL, "imap", os.Getenv("HUILIU_TEST_IMAP"), "IMAP server as imap://user:password@host:port (default $HUILIU_TEST_IMAP; .ci/dovecot.sh starts one)")
	}, func() error {
		if messages < 1 || threads < 1 {
			return usagef("--messages and --threads must be positive")
		}
		if imapURL == "" {
			return usagef("bench email needs an IMAP server: --imap imap://user:password@host:port or HUILIU_TEST_IMAP (start one with .ci/dovecot.sh)")
		}
		return nil
	}, log)
	if err != nil {
		return err
	}
	defer closeDesk()
	u, err := url.Parse(imapURL)
	if err != nil || u.User == nil {
		return usagef("--imap %q: want imap://user:password@host:port", imapURL)
	}
	pass, _ := u.User.Password()
	port, _ := strconv.Atoi(u.Port())
	run := desk.NewID()
	folder := "bench-" + run
	admin, err := client.Dial(u.Host)
	if err != nil {
		return fmt.Errorf("bench email: %w", err)
	}
	defer func() { _ = admin.Logout() }()
	if err := admin.Login(u.User.Username(), pass); err != nil {
		return fmt.Errorf("bench email: login: %w", err)
	}
	if err := admin.Create(folder); err != nil {
		return fmt.Errorf("bench email: create folder: %w", err)
	}
	defer func() { _ = admin.Delete(folder) }()
	if err := appendBenchMails(u.Host, u.User.Username(), pass, folder, run, messages, threads); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "bench email: %d mails appended to %s; importing\n", messages, folder)

	mb := email.Mailbox{Name: "bench", Address: "bench@huiliu.test", Folder: folder, PollInterval: time.Second,
		IMAP: email.Server{Host: u.Hostname(), Port: port, Security: email.SecurityPlain, Insecure: true, User: u.User.Username(), Password: pass},
		SMTP: email.Server{Host: "127.0.0.1", Port: 25, Security: email.SecurityPlain, Insecure: true, Auth: "none"}}
	deps := a.Email
	deps.Logger = log
	ch, err := email.New([]email.Mailbox{mb}, deps)
	if err != nil {
		return err
	}
	sink := &countingSink{next: a.Service}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() { _ = ch.Run(ctx, sink); close(done) }()
	start := time.Now()
	var first time.Time
	last, lastN := time.Now(), int64(0)
	for ctx.Err() == nil {
		n := sink.stored.Load() + sink.duplicates.Load()
		if n > 0 && first.IsZero() {
			first = time.Now()
		}
		if n != lastN {
			last, lastN = time.Now(), n
		}
		if n >= int64(messages) || time.Since(last) > 30*time.Second {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	cancel()
	<-done
	stored := sink.stored.Load()
	fmt.Fprintf(stdout, "email: imported %.0f mails/s, lost %d, duplicated %d\n",
		float64(stored)/elapsed.Seconds(), max(0, int64(messages)-stored), max(0, stored-int64(messages))+sink.duplicates.Load())
	return nil
}

// appendBenchMails appends the mails over four connections.
func appendBenchMails(host, user, pass, folder, run string, messages, threads int) error {
	const conns = 4
	var wg sync.WaitGroup
	errs := make([]error, conns)
	for w := range conns {
		wg.Go(func() {
			c, err := client.Dial(host)
			if err != nil {
				errs[w] = err
				return
			}
			defer func() { _ = c.Logout() }()
			if err := c.Login(user, pass); err != nil {
				errs[w] = err
				return
			}
			for i := w; i < messages; i += conns {
				from := i % threads
				raw := fmt.Appendf(nil, "From: =?UTF-8?B?5a6i5oi3?= <customer%d@example.cn>\r\nTo: bench@huiliu.test\r\n"+
					"Subject: =?UTF-8?B?6L+Y5qy+5ZKo6K+i?= %d\r\nMessage-ID: <bench-%s-%d@example.cn>\r\nDate: %s\r\n"+
					"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n第 %d 封邮件：请问我的账单何时到期？\r\n",
					from, i, run, i, time.Now().Format(time.RFC1123Z), i)
				if err := c.Append(folder, nil, time.Now(), bytes.NewReader(raw)); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("bench email: append: %w", err)
		}
	}
	return nil
}
