package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	smtp "github.com/emersion/go-smtp"

	"huiliu/channels"
)

// testIMAP is the Dovecot .ci/run starts (.ci/dovecot.sh), as
// imap://user:password@host:port in HUILIU_TEST_IMAP. Without it the
// IMAP tests skip, loudly; with CI set they fail instead.
func testIMAP(t testing.TB) (host string, port int, user, pass string) {
	t.Helper()
	v := os.Getenv("HUILIU_TEST_IMAP")
	if v == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("HUILIU_TEST_IMAP is not set: CI must start Dovecot (.ci/dovecot.sh)")
		}
		t.Log("!!! SKIPPING: no IMAP server. Start one with: export HUILIU_TEST_IMAP=$(.ci/dovecot.sh) !!!")
		t.Skip("HUILIU_TEST_IMAP not set")
	}
	u, err := url.Parse(v)
	if err != nil {
		t.Fatalf("HUILIU_TEST_IMAP: %v", err)
	}
	port, err = strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("HUILIU_TEST_IMAP port: %v", err)
	}
	pass, _ = u.User.Password()
	return u.Hostname(), port, u.User.Username(), pass
}

// testFolder makes a fresh folder on the test server and removes it when
// the test ends; it returns a client logged in for appending.
func testFolder(t testing.TB) (*client.Client, Mailbox) {
	t.Helper()
	host, port, user, pass := testIMAP(t)
	c, err := client.Dial(net.JoinHostPort(host, strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("dial test IMAP: %v", err)
	}
	if err := c.Login(user, pass); err != nil {
		t.Fatalf("login test IMAP: %v", err)
	}
	folder := "t" + randHex(6)
	if err := c.Create(folder); err != nil {
		t.Fatalf("create folder: %v", err)
	}
	t.Cleanup(func() {
		_ = c.Delete(folder)
		_ = c.Delete(folder + "-done")
		_ = c.Logout()
	})
	mb := Mailbox{
		Name: "mb" + randHex(3), Address: "support@huiliu.test", DisplayName: "汇流客服",
		IMAP:   Server{Host: host, Port: port, Security: SecurityPlain, Insecure: true, User: user, Password: pass},
		Folder: folder, PollInterval: time.Second,
		SMTP: Server{Host: "127.0.0.1", Port: 1, Security: SecurityPlain, Insecure: true, Auth: "none"},
	}
	return c, mb
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func appendMail(t testing.TB, c *client.Client, folder string, raw []byte) {
	t.Helper()
	if err := c.Append(folder, nil, time.Now(), bytes.NewReader(raw)); err != nil {
		t.Fatalf("append: %v", err)
	}
}

// mailText is a plain mail in thread conv with body text.
func mailText(conv, id, text string) []byte {
	return fmt.Appendf(nil, "From: %s@example.cn\r\nTo: support@huiliu.test\r\nSubject: %s\r\nMessage-ID: <%s@example.cn>\r\n"+
		"References: <root-%s@example.cn>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", conv, conv, id, conv, text)
}

// memState keeps positions and health in memory, as the store does in SQL.
type memState struct {
	mu     sync.Mutex
	pos    map[string][2]int64
	health map[string][2]string
	sets   int
}

func newMemState() *memState {
	return &memState{pos: map[string][2]int64{}, health: map[string][2]string{}}
}

func (m *memState) Position(_ context.Context, mb string) (int64, int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.pos[mb]
	return p[0], p[1], nil
}

func (m *memState) SetPosition(_ context.Context, mb string, validity, uid int64, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sets++
	p := m.pos[mb]
	if p[0] != validity || uid > p[1] {
		m.pos[mb] = [2]int64{validity, uid}
	}
	return nil
}

func (m *memState) SetHealth(_ context.Context, mb, state, errText string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.health[mb] = [2]string{state, errText}
	return nil
}

func (m *memState) Health(mb string) [2]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.health[mb]
}

// memThreads is the threading lookup over a map.
type memThreads struct {
	mu           sync.Mutex
	tokens       map[string]string // ticket → token
	numbers      map[int64]string
	participants map[string][]string
}

func newMemThreads() *memThreads {
	return &memThreads{tokens: map[string]string{}, numbers: map[int64]string{}, participants: map[string][]string{}}
}

func (m *memThreads) Token(_ context.Context, ticket string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if tok, ok := m.tokens[ticket]; ok {
		return tok, nil
	}
	tok := "abcdefghijklmnopqrstuvwxyz"[:26]
	tok = tok[:20] + randBase32(6)
	m.tokens[ticket] = tok
	return tok, nil
}

func randBase32(n int) string {
	const a = "abcdefghijklmnopqrstuvwxyz234567"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = a[int(b[i])%32]
	}
	return string(b)
}

func (m *memThreads) TicketByToken(_ context.Context, token string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for t, tok := range m.tokens {
		if tok == token {
			return t, nil
		}
	}
	return "", nil
}

func (m *memThreads) TicketByNumber(_ context.Context, n int64) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.numbers[n], nil
}

func (m *memThreads) Participant(_ context.Context, ticket, addr string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.participants[ticket] {
		if p == addr {
			return true, nil
		}
	}
	return false, nil
}

// memBounces records bounces.
type memBounces struct {
	mu  sync.Mutex
	got []Bounce
}

func (m *memBounces) Bounced(_ context.Context, b Bounce) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.got = append(m.got, b)
	return nil
}

// Blocked blocks every address a bounce named.
func (m *memBounces) Blocked(_ context.Context, address string) (string, time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, b := range m.got {
		if b.Address == address {
			return b.Reason, time.Unix(0, 0), true, nil
		}
	}
	return "", time.Time{}, false, nil
}

// smtpServer is an in-process SMTP server (go-smtp) that keeps what it
// receives and refuses the next mail on request.
type smtpServer struct {
	addr string
	mu   sync.Mutex
	got  [][]byte
	rcpt [][]string
	fail *smtp.SMTPError
}

func newSMTPServer(t testing.TB) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *smtpServer) port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

func (s *smtpServer) failNext(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = &smtp.SMTPError{Code: code, Message: "refused for the test"}
}

func (s *smtpServer) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.got...)
}

type smtpSession struct {
	s    *smtpServer
	rcpt []string
}

func (x *smtpSession) Reset()        { x.rcpt = nil }
func (x *smtpSession) Logout() error { return nil }
func (x *smtpSession) Mail(string, *smtp.MailOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	if f := x.s.fail; f != nil {
		x.s.fail = nil
		return f
	}
	return nil
}
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.rcpt = append(x.rcpt, to)
	return nil
}
func (x *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.got = append(x.s.got, b)
	x.s.rcpt = append(x.s.rcpt, x.rcpt)
	return nil
}

// testLeases is a lease table in memory.
type testLeases struct {
	mu sync.Mutex
	m  map[string]string
}

func (l *testLeases) Acquire(_ context.Context, name, holder string, _ time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil {
		l.m = map[string]string{}
	}
	if h, ok := l.m[name]; ok && h != holder {
		return false, nil
	}
	l.m[name] = holder
	return true, nil
}

func (l *testLeases) Release(_ context.Context, name, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m[name] == holder {
		delete(l.m, name)
	}
	return nil
}

// run runs the channel's receiver until the test ends.
func run(t testing.TB, c *Channel, sink channels.Sink) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, sink) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(15 * time.Second):
				t.Error("Run did not return")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// uidValidity reads a folder's UIDVALIDITY.
func uidValidity(t testing.TB, c *client.Client, folder string) uint32 {
	st, err := c.Status(folder, []imap.StatusItem{imap.StatusUidValidity})
	if err != nil {
		t.Fatal(err)
	}
	return st.UidValidity
}
