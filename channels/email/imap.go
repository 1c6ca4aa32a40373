package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"

	"huiliu/channels"
)

// Import tuning: mails fetched per IMAP command, and stored side by side.
const (
	fetchBatch    = 200
	ingestWorkers = 16
	// maxMailTries is how often one mail may fail to store before it is
	// skipped (logged and shown on the mailbox), so one poisonous mail
	// cannot stop a mailbox; it stays on the server.
	maxMailTries = 3
	imapTimeout  = 60 * time.Second
	storeTimeout = 5 * time.Second
)

// dialer opens an IMAP connection; tests replace it.
type dialer interface {
	dial(ctx context.Context, s Server) (*client.Client, error)
}

type netDialer struct{}

func (netDialer) dial(ctx context.Context, s Server) (*client.Client, error) {
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	d := &net.Dialer{Timeout: 20 * time.Second}
	tlsConfig := &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	var c *client.Client
	var err error
	if s.Security == SecurityTLS {
		c, err = client.DialWithDialerTLS(d, addr, tlsConfig)
	} else {
		c, err = client.DialWithDialer(d, addr)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	if s.Security == SecuritySTARTTLS {
		if err := c.StartTLS(tlsConfig); err != nil {
			_ = c.Logout()
			return nil, fmt.Errorf("STARTTLS with %s: %w", addr, err)
		}
	}
	c.Timeout = imapTimeout
	// A connection closed on purpose (lease lost, shutdown) is no news.
	c.ErrorLog = stdlog.New(io.Discard, "", 0)
	return c, nil
}

// session is one mailbox's IMAP connection on the node that holds its
// lease; it lives across rounds and is dropped after an error.
type session struct {
	c    *Channel
	mb   *mailbox
	sink channels.Sink
	log  *slog.Logger

	conn     *client.Client
	newMail  chan struct{} // the server announced mail (EXISTS); capacity 1
	idle     bool
	move     bool // the server has MOVE
	validity uint32
}

func (s *session) close() {
	if s.conn != nil {
		_ = s.conn.Logout()
		s.conn = nil
	}
}

// connect logs in and selects the folder.
func (s *session) connect(ctx context.Context) error {
	cfg := s.mb.cfg
	s.c.setHealth(ctx, s.mb, stateConnecting, "")
	conn, err := s.c.dialer.dial(ctx, cfg.IMAP)
	if err != nil {
		return err
	}
	// The client blocks until its updates are read, so one reader per
	// connection keeps only the news that there is new mail.
	updates := make(chan client.Update, 16)
	conn.Updates = updates
	s.newMail = make(chan struct{}, 1)
	go func(newMail chan struct{}, gone <-chan struct{}) {
		for {
			select {
			case <-gone:
				return
			case u := <-updates:
				if _, ok := u.(*client.MailboxUpdate); !ok {
					continue
				}
				select {
				case newMail <- struct{}{}:
				default:
				}
			}
		}
	}(s.newMail, conn.LoggedOut())
	if err := conn.Login(cfg.IMAP.User, s.mb.imapPassword); err != nil {
		_ = conn.Logout()
		return fmt.Errorf("login as %s refused: %w", cfg.IMAP.User, err)
	}
	if ok, _ := conn.Support("ID"); ok {
		// RFC 2971. 163/126 Mail refuse SELECT ("Unsafe Login") to clients
		// that do not say who they are.
		if _, err := conn.Execute(&imap.Command{Name: "ID", Arguments: []any{[]any{"name", "huiliu", "vendor", "huiliu"}}}, nil); err != nil {
			s.log.Debug("email: IMAP ID refused", "err", err)
		}
	}
	st, err := conn.Select(cfg.Folder, false)
	if err != nil {
		_ = conn.Logout()
		return fmt.Errorf("folder %q: %w", cfg.Folder, err)
	}
	caps, err := conn.Capability()
	if err != nil {
		_ = conn.Logout()
		return fmt.Errorf("capabilities: %w", err)
	}
	s.conn, s.idle, s.move, s.validity = conn, caps["IDLE"], caps["MOVE"], st.UidValidity
	return nil
}

// round imports what is new, then waits (IDLE, or the poll interval) for
// more or until ctx ends.
func (s *session) round(ctx context.Context) error {
	if s.conn == nil {
		if err := s.connect(ctx); err != nil {
			return err
		}
	}
	// The connection does not know ctx; closing it ends a blocked command.
	conn := s.conn
	stop := context.AfterFunc(ctx, func() { _ = conn.Terminate() })
	defer stop()
	for {
		n, err := s.importNew(ctx)
		if err != nil {
			return err
		}
		s.c.setHealth(ctx, s.mb, stateOK, "")
		if n < fetchBatch {
			break
		}
	}
	return s.wait(ctx)
}

// importNew stores mails above the recorded position, at most one batch,
// and reports how many it saw.
func (s *session) importNew(ctx context.Context) (int, error) {
	name := s.mb.cfg.Name
	validity, last, err := s.c.deps.State.Position(ctx, name)
	if err != nil {
		return 0, fmt.Errorf("read position: %w", err)
	}
	if validity != int64(s.validity) {
		if validity != 0 {
			s.log.Warn("email: UIDVALIDITY changed: the folder was recreated; importing it again, mails already stored are recognised by Message-ID",
				"old", validity, "new", s.validity)
		}
		if err := s.c.deps.State.SetPosition(ctx, name, int64(s.validity), 0, time.Time{}); err != nil {
			return 0, fmt.Errorf("record new UIDVALIDITY: %w", err)
		}
		last = 0
	}
	crit := imap.NewSearchCriteria()
	crit.Uid = new(imap.SeqSet)
	crit.Uid.AddRange(uint32(last)+1, 0)
	uids, err := s.conn.UidSearch(crit)
	if err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	uids = slicesAbove(uids, uint32(last))
	if len(uids) == 0 {
		return 0, nil
	}
	if len(uids) > fetchBatch {
		uids = uids[:fetchBatch]
	}
	raws, err := s.fetch(uids)
	if err != nil {
		return 0, err
	}
	// Threads are stored side by side, each thread's mails in UID order;
	// the position then moves past the longest stored prefix, so a failed
	// mail is offered again (later ones that were stored come back as
	// duplicates, dropped by Message-ID).
	mails := make([]Mail, len(uids))
	lanes := map[string][]int{}
	var order []string
	for i, uid := range uids {
		raw, ok := raws[uid]
		if !ok {
			continue // expunged meanwhile
		}
		mails[i] = ParseMail(raw)
		root := mails[i].root()
		if _, ok := lanes[root]; !ok {
			order = append(order, root)
		}
		lanes[root] = append(lanes[root], i)
	}
	errs := make([]error, len(uids))
	work := make(chan []int)
	var wg sync.WaitGroup
	for range min(ingestWorkers, len(order)) {
		wg.Go(func() {
			for lane := range work {
				for k, i := range lane {
					if _, errs[i] = s.c.deliver1(ctx, s.mb, mails[i], s.sink); errs[i] != nil {
						for _, j := range lane[k+1:] {
							errs[j] = errNotTried
						}
						break
					}
				}
			}
		})
	}
	for _, root := range order {
		work <- lanes[root]
	}
	close(work)
	wg.Wait()

	done := uint32(0)
	var failed error
	var stored []uint32
	for i, uid := range uids {
		if err := errs[i]; err != nil {
			if ctx.Err() != nil || errors.Is(err, errNotTried) {
				if failed == nil && ctx.Err() == nil {
					failed = err
				}
				break
			}
			s.mb.failures[uid]++
			if s.mb.failures[uid] < maxMailTries {
				failed = fmt.Errorf("mail UID %d not stored (try %d of %d): %w", uid, s.mb.failures[uid], maxMailTries, err)
				break
			}
			s.log.Error("email: mail skipped after repeated failures; it stays on the server", "uid", uid, "err", err)
			s.c.setHealth(ctx, s.mb, stateFailing, fmt.Sprintf("mail UID %d skipped: %v", uid, err))
		} else {
			stored = append(stored, uid)
		}
		delete(s.mb.failures, uid)
		done = uid
	}
	if done > 0 {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
		err := s.c.deps.State.SetPosition(sctx, name, int64(s.validity), int64(done), time.Now())
		cancel()
		if err != nil {
			return 0, fmt.Errorf("record position: %w", err)
		}
		if err := s.afterImport(stored); err != nil && ctx.Err() == nil {
			// The position moved already; the mails stay unflagged.
			s.log.Warn("email: after_import action failed", "action", s.mb.cfg.AfterImport, "err", err)
		}
	}
	if failed != nil {
		return 0, failed
	}
	return len(uids), ctx.Err()
}

// errNotTried marks a mail held back because an earlier mail of its
// thread failed.
var errNotTried = errors.New("not tried: an earlier mail of the thread failed")

func slicesAbove(uids []uint32, last uint32) []uint32 {
	out := uids[:0]
	for _, u := range uids {
		if u > last {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// fetch reads the raw mails without setting \Seen.
func (s *session) fetch(uids []uint32) (map[uint32][]byte, error) {
	set := new(imap.SeqSet)
	set.AddNum(uids...)
	section := &imap.BodySectionName{Peek: true}
	ch := make(chan *imap.Message, 32)
	errc := make(chan error, 1)
	go func() { errc <- s.conn.UidFetch(set, []imap.FetchItem{imap.FetchUid, section.FetchItem()}, ch) }()
	out := map[uint32][]byte{}
	for msg := range ch {
		body := msg.GetBody(section)
		if body == nil {
			continue
		}
		raw, err := io.ReadAll(io.LimitReader(body, MaxMailBytes))
		if err != nil {
			continue
		}
		out[msg.Uid] = raw
	}
	if err := <-errc; err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	return out, nil
}

// afterImport flags the stored mails \Seen or moves them.
func (s *session) afterImport(uids []uint32) error {
	if len(uids) == 0 {
		return nil
	}
	set := new(imap.SeqSet)
	set.AddNum(uids...)
	folder, move := strings.CutPrefix(s.mb.cfg.AfterImport, "move:")
	if !move {
		return s.conn.UidStore(set, imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.SeenFlag}, nil)
	}
	if s.move {
		_, err := s.conn.Execute(&uidMove{set: set, folder: folder}, nil)
		return err
	}
	if err := s.conn.UidCopy(set, folder); err != nil {
		return err
	}
	if err := s.conn.UidStore(set, imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.DeletedFlag}, nil); err != nil {
		return err
	}
	return s.conn.Expunge(nil)
}

// uidMove is RFC 6851 UID MOVE, which go-imap v1 has no method for.
type uidMove struct {
	set    *imap.SeqSet
	folder string
}

func (m *uidMove) Command() *imap.Command {
	return &imap.Command{Name: "UID MOVE", Arguments: []any{m.set, imap.FormatMailboxName(m.folder)}}
}

// wait blocks until the server reports new mail (IDLE), the poll interval
// passes, or ctx ends.
func (s *session) wait(ctx context.Context) error {
	timer := time.NewTimer(s.mb.cfg.PollInterval)
	defer timer.Stop()
	if !s.idle {
		select {
		case <-ctx.Done():
		case <-timer.C:
		}
		return nil
	}
	select {
	case <-s.newMail:
		return nil // announced while we were importing
	default:
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- s.conn.Idle(stop, &client.IdleOptions{LogoutTimeout: -1}) }()
	for {
		select {
		case <-ctx.Done():
			close(stop)
			<-done
			return nil
		case <-timer.C:
			close(stop)
			return idleErr(<-done)
		case err := <-done:
			return idleErr(err)
		case <-s.newMail:
			close(stop)
			return idleErr(<-done)
		}
	}
}

func idleErr(err error) error {
	if err != nil && !errors.Is(err, client.ErrAlreadyLoggedOut) {
		return fmt.Errorf("idle: %w", err)
	}
	return err
}
