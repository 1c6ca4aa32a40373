package bench

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"huiliu/desk"
)

// benchOrigin is the page origin the bench's customers claim. The bench
// creates its own site listing only this origin, so its connections can
// never pass for a real site's visitors; .invalid never resolves.
const benchOrigin = "http://bench.invalid"

// Bounds that keep a run finite whatever the flags say.
const (
	maxChatMessages  = 5_000_000 // message slots of one run (about 200 MB at most)
	maxChatAgents    = 64        // agents' sightings are bits of one uint64
	maxInflight      = 8         // unacked messages per customer before it skips a tick
	chatDialParallel = 32        // connections opened at once
)

func runBenchChat(ctx context.Context, o Options, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench chat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "desk base URL (start it with --webchat-messages-per-minute 100000 --webchat-new-visitors-per-address -1 --webchat-new-tickets-per-address -1 --webchat-new-tickets-per-site -1: the bench is one address)")
	token := fs.String("token", "", "admin API token (huiliu token add); the bench creates its site and agents with it")
	var b chatBench
	fs.IntVar(&b.Customers, "customers", 200, "customer websockets sending messages")
	fs.IntVar(&b.Agents, "agents", 4, "agent websockets receiving them (at most 64)")
	fs.IntVar(&b.Rate, "rate", 1000, "customer messages per second, all customers together")
	fs.DurationVar(&b.Duration, "duration", 20*time.Second, "how long to send")
	fs.IntVar(&b.Idle, "idle", 0, "instead of sending: open this many idle customer connections and report the server's memory per connection")
	fs.DurationVar(&b.Hold, "hold", 0, "with --idle: keep the connections open this long after measuring (to profile the desk meanwhile)")
	fs.DurationVar(&b.Grace, "grace", 10*time.Second, "how long after sending to wait for messages and replies still on their way; what has not arrived by then counts as lost")
	fs.IntVar(&b.ReplyEvery, "reply-every", 10, "agents answer every n-th customer message (0: never)")
	metricsToken := fs.String("metrics-token", os.Getenv("HUILIU_METRICS_TOKEN"), "with --idle: the desk's metrics_token, to read its memory from /metrics (HUILIU_METRICS_TOKEN)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *token == "" {
		return usagef("--token is required (an admin's API token)")
	}
	if b.Idle < 0 || b.Grace < 0 || b.ReplyEvery < 0 || b.Hold < 0 || b.Hold > time.Hour {
		return usagef("--idle, --grace and --reply-every must not be negative, --hold at most 1h")
	}
	if b.Idle == 0 && (b.Customers < 1 || b.Agents < 1 || b.Agents > maxChatAgents || b.Rate < 1 || b.Duration <= 0) {
		return usagef("--customers, --rate and --duration must be positive, --agents from 1 to %d", maxChatAgents)
	}
	if b.Idle == 0 && float64(b.Rate)*b.Duration.Seconds() > maxChatMessages {
		return usagef("--rate × --duration is over %d messages; shorten the run", maxChatMessages)
	}
	d, err := newChatDesk(*base, *token)
	if err != nil {
		return usagef("%v", err)
	}
	d.metricsToken = *metricsToken
	b.desk = d
	need := uint64(b.Customers + b.Agents + 64)
	if b.Idle > 0 {
		need = uint64(b.Idle + 64)
	}
	if limit, err := o.RaiseOpenFiles(); err != nil {
		fmt.Fprintf(stderr, "bench chat: %v\n", err)
	} else if limit < need {
		return fmt.Errorf("the open-files limit is %d but the run needs about %d connections; raise the hard limit (ulimit -Hn)", limit, need)
	}
	if b.Idle > 0 {
		r, err := b.runIdle(ctx, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, r)
		return nil
	}
	r, err := b.run(ctx, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r)
	return nil
}

type chatBench struct {
	Customers  int
	Agents     int
	Rate       int
	Duration   time.Duration
	Idle       int
	Hold       time.Duration
	Grace      time.Duration
	ReplyEvery int

	desk *chatDesk
}

// chatDesk is the desk under test: its REST API and its two websockets.
type chatDesk struct {
	base string // http://host:port
	// metricsToken opens the desk's /metrics (its metrics_token).
	metricsToken string
	wsBase       string // ws://host:port
	origin       string // the desk's own origin, which its agent socket demands
	token        string
	client       *http.Client
	dialer       *websocket.Dialer
}

func newChatDesk(base, token string) (*chatDesk, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("--url %q is not an http(s) URL", base)
	}
	ws := *u
	ws.Scheme = "ws"
	if u.Scheme == "https" {
		ws.Scheme = "wss"
	}
	return &chatDesk{
		base: u.String(), wsBase: ws.String(), origin: u.Scheme + "://" + u.Host, token: token,
		client: &http.Client{
			Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute},
			Timeout:   30 * time.Second,
		},
		// Small buffers and a shared write pool: the idle mode holds
		// thousands of connections and the bench's own memory is reported.
		dialer: &websocket.Dialer{HandshakeTimeout: 15 * time.Second, ReadBufferSize: 1024, WriteBufferSize: 1024, WriteBufferPool: &sync.Pool{}},
	}, nil
}

// call sends a JSON request; header adds credentials (nil: the admin
// token). A status other than want is an error carrying the desk's answer.
func (d *chatDesk) call(ctx context.Context, method, path string, header http.Header, in, out any, want int) (*http.Response, error) {
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding the request: %w", method, path, err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if header == nil {
		req.Header.Set("Authorization", "Bearer "+d.token)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != want {
		return resp, fmt.Errorf("%s %s: status %d: %s", method, path, resp.StatusCode, bytes.TrimSpace(raw))
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp, fmt.Errorf("%s %s: decoding the answer: %w", method, path, err)
		}
	}
	return resp, nil
}

// createSite makes the bench's own chat site, open to benchOrigin only.
func (d *chatDesk) createSite(ctx context.Context, run string) (desk.Site, error) {
	var site desk.Site
	_, err := d.call(ctx, http.MethodPost, "/api/v1/sites", nil,
		map[string]any{"name": "bench chat " + run, "origins": []string{benchOrigin}}, &site, http.StatusCreated)
	if err != nil {
		return site, fmt.Errorf("creating the bench's site (is --token an admin's?): %w", err)
	}
	return site, nil
}

// benchAgent is one agent account with its browser session.
type benchAgent struct {
	idx    int
	agent  desk.Agent
	cookie string // huiliu_session
	csrf   string

	// Owned by the agent's reading goroutine.
	pos        string // resume point "<epoch>:<seq>"
	reconnects int
	resets     int
	dups       int
	lat        []time.Duration
}

// createAgent makes an agent account in the shared bench team and logs it
// in once with a cookie, as a browser would. The same session posts the
// replies (with its CSRF token): logins are limited per address, so one
// per agent keeps repeated runs clear of that limit.
func (d *chatDesk) createAgent(ctx context.Context, run string, i int) (*benchAgent, error) {
	pw := make([]byte, 12)
	_, _ = rand.Read(pw)
	password := hex.EncodeToString(pw)
	email := fmt.Sprintf("bench-%s-%d@example.com", strings.ToLower(run), i)
	a := &benchAgent{idx: i}
	_, err := d.call(ctx, http.MethodPost, "/api/v1/agents", nil, map[string]any{
		"email": email, "name": fmt.Sprintf("压测坐席 %d", i+1), "role": "agent", "password": password, "teams": []string{"bench-chat"},
	}, &a.agent, http.StatusCreated)
	if err != nil {
		return nil, fmt.Errorf("creating bench agent %d: %w", i, err)
	}
	var login struct {
		CSRFToken string `json:"csrf_token"`
	}
	resp, err := d.call(ctx, http.MethodPost, "/api/v1/sessions", http.Header{},
		map[string]string{"email": email, "password": password, "mode": "cookie"}, &login, http.StatusCreated)
	if err != nil {
		return nil, fmt.Errorf("logging bench agent %d in: %w", i, err)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "huiliu_session" {
			a.cookie = c.Value
		}
	}
	if a.cookie == "" || login.CSRFToken == "" {
		return nil, fmt.Errorf("logging bench agent %d in: no session cookie or CSRF token in the answer", i)
	}
	a.csrf = login.CSRFToken
	return a, nil
}

// dialAgent opens the agent websocket, resuming after a.pos when it has one.
func (d *chatDesk) dialAgent(ctx context.Context, a *benchAgent) (*websocket.Conn, error) {
	u := d.wsBase + "/desk/ws"
	if a.pos != "" {
		u += "?after=" + url.QueryEscape(a.pos)
	}
	h := http.Header{"Origin": {d.origin}, "Cookie": {"huiliu_session=" + a.cookie}}
	ws, resp, err := d.dialer.DialContext(ctx, u, h)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("agent websocket of bench agent %d: %w (status %d)", a.idx, err, resp.StatusCode)
		}
		return nil, fmt.Errorf("agent websocket of bench agent %d: %w", a.idx, err)
	}
	return ws, nil
}

// dialCustomer opens a customer websocket, says hello and reads welcome.
func (d *chatDesk) dialCustomer(ctx context.Context, siteKey string) (*websocket.Conn, chatWelcome, error) {
	var w chatWelcome
	ws, resp, err := d.dialer.DialContext(ctx, d.wsBase+"/webchat/ws?site="+url.QueryEscape(siteKey), http.Header{"Origin": {benchOrigin}})
	if err != nil {
		if resp != nil {
			return nil, w, fmt.Errorf("customer websocket: %w (status %d)", err, resp.StatusCode)
		}
		return nil, w, fmt.Errorf("customer websocket: %w", err)
	}
	_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","lang":"zh-CN"}`)); err != nil {
		ws.Close()
		return nil, w, fmt.Errorf("customer hello: %w", err)
	}
	_ = ws.SetReadDeadline(time.Now().Add(15 * time.Second))
	_, raw, err := ws.ReadMessage()
	if err == nil {
		err = json.Unmarshal(raw, &w)
	}
	if err == nil && w.Type != "welcome" {
		err = fmt.Errorf("first frame is %s", raw)
	}
	if err != nil {
		ws.Close()
		return nil, w, fmt.Errorf("customer welcome: %w", err)
	}
	_ = ws.SetReadDeadline(time.Time{})
	_ = ws.SetWriteDeadline(time.Time{})
	return ws, w, nil
}

type chatWelcome struct {
	Type   string `json:"type"`
	Limits struct {
		MessagesPerMinute int `json:"messages_per_minute"`
	} `json:"limits"`
}

// chatMsg is one customer message of the run, indexed by its number.
// Agents' readers, customers' readers and reply workers all touch it, so
// every field is atomic.
type chatMsg struct {
	sentAt     atomic.Int64 // unix nanos the frame was written
	acked      atomic.Bool
	seen       atomic.Uint64 // bit i: agent i's socket had it
	echoed     atomic.Int32  // times the customer's socket got it back
	replyAt    atomic.Int64  // unix nanos the agent's reply was posted; 0: none
	replyAgent atomic.Uint64 // bit i: agent i's socket had the reply
	replySeen  atomic.Int32  // times the customer's socket got the reply
	ticket     atomic.Pointer[string]
	ackSeq     atomic.Int64 // the message's seq in its ticket, from the ack
}

// chatRun is the shared state of one run.
type chatRun struct {
	b      chatBench
	run    string
	marker string // "hlb:<run>:" in customer messages
	reply  string // "hlr:<run>:" in agents' replies
	msgs   []chatMsg
	next   atomic.Int64 // message numbers handed out
	agents []*benchAgent
	// replyJobs carries agents' answers to the reply workers.
	replyJobs chan replyJob
	// sendEnd is when sending stopped (unix nanos); acks after it do not
	// count towards the rate.
	sendEnd atomic.Int64

	sent, acked, ackedInRun, dupAcks  atomic.Int64
	rateLimited, unavailable, refused atomic.Int64
	busy                              atomic.Int64 // busy answers: offered beyond what the node stores
	skipped, dropped, seenAny         atomic.Int64
	replyQueued, replyPosted          atomic.Int64
	replyErrors, replyFailedQueue     atomic.Int64
	replyUnsent                       atomic.Int64 // still queued when the grace period ended
	replySeenAny, customerDups        atomic.Int64

	mu       sync.Mutex
	replyLat []time.Duration
	// covered is per ticket the highest message seq an agent got an event
	// of: a desk under pressure sends only a ticket's latest event, and a
	// page reloads the ticket on it, so earlier messages are not lost.
	covered  map[string]int64
	firstErr string
}

func (r *chatRun) cover(ticket string, seq int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.covered == nil {
		r.covered = map[string]int64{}
	}
	r.covered[ticket] = max(r.covered[ticket], seq)
}

func (r *chatRun) noteErr(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.firstErr == "" {
		r.firstErr = fmt.Sprintf(format, args...)
	}
}

// run is the chat mode: customers send at the given rate, agents watch
// their sockets and answer some, and the bench checks that everything
// acknowledged arrived once.
func (b chatBench) run(ctx context.Context, stderr io.Writer) (chatResult, error) {
	d := b.desk
	r := &chatRun{b: b, run: desk.NewID()}
	r.marker, r.reply = "hlb:"+r.run+":", "hlr:"+r.run+":"
	r.msgs = make([]chatMsg, int(float64(b.Rate)*b.Duration.Seconds()*1.2)+1000)

	setupCtx, cancelSetup := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelSetup()
	site, err := d.createSite(setupCtx, r.run)
	if err != nil {
		return chatResult{}, err
	}
	// The sockets live until the grace period is over.
	liveCtx, stopLive := context.WithCancel(ctx)
	defer stopLive()
	var wg sync.WaitGroup
	defer wg.Wait()
	defer stopLive() // runs before wg.Wait: every goroutine ends with liveCtx

	for i := range b.Agents {
		a, err := d.createAgent(setupCtx, r.run, i)
		if err != nil {
			return chatResult{}, err
		}
		ws, err := d.dialAgent(setupCtx, a)
		if err != nil {
			return chatResult{}, err
		}
		r.agents = append(r.agents, a)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.agentLoop(liveCtx, a, ws)
		}()
	}

	replies := make(chan replyJob, 1<<16)
	var replyWG sync.WaitGroup
	for range max(4, 2*b.Agents) {
		replyWG.Add(1)
		go func() {
			defer replyWG.Done()
			r.replyWorker(liveCtx, replies)
		}()
	}
	r.replyJobs = replies

	custs := make([]*chatCustomer, b.Customers)
	err = parallel(setupCtx, b.Customers, func(i int) error {
		ws, w, err := d.dialCustomer(setupCtx, site.Key)
		if err != nil {
			return err
		}
		if i == 0 {
			perMinute := float64(b.Rate) / float64(b.Customers) * 60
			if lim := w.Limits.MessagesPerMinute; lim > 0 && perMinute > float64(lim) {
				fmt.Fprintf(stderr, "bench chat: the desk allows %d messages per visitor per minute and this run sends %.0f; start it with --webchat-messages-per-minute 100000 (rate_limited answers are counted below)\n", lim, perMinute)
			}
		}
		custs[i] = &chatCustomer{ws: ws}
		return nil
	})
	if err != nil {
		for _, c := range custs {
			if c != nil {
				c.ws.Close()
			}
		}
		return chatResult{}, err
	}
	for _, c := range custs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.customerReader(liveCtx, c)
		}()
	}

	// Send: every customer ticks at its share of the rate, the ticks
	// staggered so the desk sees a steady stream rather than bursts.
	interval := time.Duration(float64(time.Second) * float64(b.Customers) / float64(b.Rate))
	sendCtx, stopSend := context.WithTimeout(liveCtx, b.Duration)
	defer stopSend()
	start := time.Now()
	var sendWG sync.WaitGroup
	for i, c := range custs {
		sendWG.Add(1)
		go func() {
			defer sendWG.Done()
			r.customerSender(sendCtx, c, interval*time.Duration(i)/time.Duration(b.Customers), interval)
		}()
	}
	sendWG.Wait()
	elapsed := time.Since(start)
	r.sendEnd.Store(time.Now().UnixNano())

	// Grace: wait for acks, agents' sightings and replies still on their way.
	deadline := time.Now().Add(b.Grace)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		inflight := int64(0)
		for _, c := range custs {
			inflight += int64(c.inflight.Load())
		}
		if inflight == 0 && r.seenAny.Load() >= r.acked.Load() && len(replies) == 0 &&
			r.replyPosted.Load()+r.replyErrors.Load() >= r.replyQueued.Load() && r.replySeenAny.Load() >= r.replyPosted.Load() {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	unanswered := int64(0)
	for _, c := range custs {
		unanswered += int64(c.inflight.Load())
	}
	stopLive()
	for _, c := range custs {
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bench done"), time.Now().Add(time.Second))
		c.ws.Close()
	}
	close(replies)
	replyWG.Wait()
	wg.Wait()
	res := r.result(elapsed, unanswered)
	for _, c := range custs {
		res.ackLat = append(res.ackLat, c.ackLat...)
	}
	return res, nil
}

// parallel runs f for 0..n-1, chatDialParallel at a time, and returns the
// first error.
func parallel(ctx context.Context, n int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		slots = make(chan struct{}, chatDialParallel)
	)
	for i := range n {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			<-slots
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			if err := f(i); err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("connection %d: %w", i, err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

type chatCustomer struct {
	ws       *websocket.Conn
	inflight atomic.Int32
	ackLat   []time.Duration // owned by the customer's reader
}

// customerSender writes message frames at interval after offset; a tick
// while the customer already waits on maxInflight acks is skipped, so an
// overloaded desk shows as a lower rate, not as a queue in socket buffers.
func (r *chatRun) customerSender(ctx context.Context, c *chatCustomer, offset, interval time.Duration) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(offset):
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if c.inflight.Load() >= maxInflight {
			r.skipped.Add(1)
		} else {
			n := r.next.Add(1) - 1
			if n >= int64(len(r.msgs)) {
				return
			}
			// The text carries the message's number and send time, so an
			// agent's socket can tell latency without asking anyone.
			now := time.Now().UnixNano()
			r.msgs[n].sentAt.Store(now)
			text := fmt.Sprintf("压测 %s%d:%d 你好，我想查询第 %d 期的还款计划", r.marker, n, now, n%12+1)
			frame, _ := json.Marshal(map[string]string{"type": "message", "client_msg_id": "b" + strconv.FormatInt(n, 10), "text": text})
			c.inflight.Add(1)
			_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := c.ws.WriteMessage(websocket.TextMessage, frame); err != nil {
				c.inflight.Add(-1)
				r.noteErr("customer write: %v", err)
				return // the reader counts the drop
			}
			r.sent.Add(1)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (r *chatRun) customerReader(ctx context.Context, c *chatCustomer) {
	for {
		_, raw, err := c.ws.ReadMessage()
		if err != nil {
			if ctx.Err() == nil {
				r.dropped.Add(1)
				r.noteErr("customer socket: %v", err)
			}
			return
		}
		var f struct {
			Type        string `json:"type"`
			ClientMsgID string `json:"client_msg_id"`
			TicketID    string `json:"ticket_id"`
			Seq         int64  `json:"seq"`
			Duplicate   bool   `json:"duplicate"`
			Code        string `json:"code"`
		}
		if err := json.Unmarshal(raw, &f); err != nil {
			r.noteErr("customer frame %q: %v", raw, err)
			continue
		}
		switch f.Type {
		case "ack":
			c.inflight.Add(-1)
			n, ok := r.number(strings.TrimPrefix(f.ClientMsgID, "b"))
			if !ok {
				continue
			}
			c.ackLat = append(c.ackLat, time.Since(time.Unix(0, r.msgs[n].sentAt.Load())))
			r.msgs[n].ticket.Store(&f.TicketID)
			r.msgs[n].ackSeq.Store(f.Seq)
			if f.Duplicate {
				r.dupAcks.Add(1)
				continue
			}
			if r.msgs[n].acked.CompareAndSwap(false, true) {
				r.acked.Add(1)
				if r.sendEnd.Load() == 0 {
					r.ackedInRun.Add(1)
				}
			}
		case "error":
			if f.ClientMsgID != "" {
				c.inflight.Add(-1)
			}
			switch f.Code {
			case "rate_limited":
				r.rateLimited.Add(1)
			case "unavailable":
				r.unavailable.Add(1)
			case "busy":
				r.busy.Add(1)
			default:
				r.refused.Add(1)
				r.noteErr("customer error frame: %s", raw)
			}
		case "message":
			var m struct {
				Message struct {
					From string `json:"from"`
					Text string `json:"text"`
				} `json:"message"`
			}
			if json.Unmarshal(raw, &m) != nil {
				continue
			}
			r.customerSaw(m.Message.From, m.Message.Text)
		}
	}
}

// customerSaw counts a message on a customer's socket: its own message
// coming back through the timeline, or an agent's reply.
func (r *chatRun) customerSaw(from, text string) {
	now := time.Now()
	switch from {
	case "customer":
		if n, _, ok := r.parseMarker(text, r.marker); ok && r.msgs[n].echoed.Add(1) == 2 {
			r.customerDups.Add(1)
		}
	case "agent":
		n, at, ok := r.parseMarker(text, r.reply)
		if !ok {
			return
		}
		switch r.msgs[n].replySeen.Add(1) {
		case 1:
			r.replySeenAny.Add(1)
			r.mu.Lock()
			r.replyLat = append(r.replyLat, now.Sub(time.Unix(0, at)))
			r.mu.Unlock()
		case 2:
			r.customerDups.Add(1)
		}
	}
}

// number parses a message number of this run.
func (r *chatRun) number(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n >= int64(len(r.msgs)) {
		return 0, false
	}
	return n, true
}

// parseMarker finds "<marker><n>:<unix nanos>" in text.
func (r *chatRun) parseMarker(text, marker string) (n, at int64, ok bool) {
	i := strings.Index(text, marker)
	if i < 0 {
		return 0, 0, false
	}
	rest := text[i+len(marker):]
	num, rest, ok := strings.Cut(rest, ":")
	if !ok {
		return 0, 0, false
	}
	if n, ok = r.number(num); !ok {
		return 0, 0, false
	}
	end := strings.IndexByte(rest, ' ')
	if end < 0 {
		end = len(rest)
	}
	at, err := strconv.ParseInt(rest[:end], 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return n, at, true
}

// agentFrame is what the bench reads from an agent socket.
type agentFrame struct {
	Type  string `json:"type"`
	Pos   string `json:"pos"`
	Event *struct {
		Type     string `json:"type"`
		TicketID string `json:"ticket_id"`
		Data     struct {
			Message struct {
				ID        string `json:"id"`
				Direction string `json:"direction"`
				Seq       int64  `json:"seq"`
				Text      string `json:"text"`
			} `json:"message"`
		} `json:"data"`
	} `json:"event"`
}

// agentLoop reads an agent's socket for the whole run, reconnecting with
// its resume point when the desk drops it (as it does to a slow reader):
// a message seen again after such a resume is a duplicate all the same.
func (r *chatRun) agentLoop(ctx context.Context, a *benchAgent, ws *websocket.Conn) {
	for {
		r.agentRead(ctx, a, ws)
		ws.Close()
		for {
			if ctx.Err() != nil {
				return
			}
			a.reconnects++
			var err error
			if ws, err = r.b.desk.dialAgent(ctx, a); err == nil {
				break
			}
			r.noteErr("%v", err)
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
}

func (r *chatRun) agentRead(ctx context.Context, a *benchAgent, ws *websocket.Conn) {
	stop := context.AfterFunc(ctx, func() { ws.Close() })
	defer stop()
	bit := uint64(1) << a.idx
	for {
		_, raw, err := ws.ReadMessage()
		if err != nil {
			return
		}
		now := time.Now()
		var f agentFrame
		if err := json.Unmarshal(raw, &f); err != nil {
			r.noteErr("agent frame %q: %v", raw, err)
			continue
		}
		switch f.Type {
		case "skip":
			a.pos = f.Pos
		case "reset":
			a.pos = f.Pos
			a.resets++
		case "event":
			a.pos = f.Pos
			ev := f.Event
			if ev == nil || (ev.Type != desk.EventTicketCreated && ev.Type != desk.EventMessageCreated) {
				continue
			}
			m := ev.Data.Message
			r.cover(ev.TicketID, m.Seq)
			if m.Direction == string(desk.DirOut) {
				if n, _, ok := r.parseMarker(m.Text, r.reply); ok && r.msgs[n].replyAgent.Or(bit)&bit != 0 {
					a.dups++
				}
				continue
			}
			n, at, ok := r.parseMarker(m.Text, r.marker)
			if !ok {
				continue
			}
			old := r.msgs[n].seen.Or(bit)
			if old&bit != 0 {
				a.dups++
				continue
			}
			if old == 0 {
				r.seenAny.Add(1)
			}
			a.lat = append(a.lat, now.Sub(time.Unix(0, at)))
			// Every n-th message is answered, by the agents in turn, each
			// reply by one agent only.
			if e := int64(r.b.ReplyEvery); e > 0 && n%e == 0 && int((n/e)%int64(len(r.agents))) == a.idx {
				select {
				case r.replyJobs <- replyJob{agent: a, ticket: ev.TicketID, n: n}:
					r.replyQueued.Add(1)
				default:
					r.replyFailedQueue.Add(1)
				}
			}
		}
	}
}

type replyJob struct {
	agent  *benchAgent
	ticket string
	n      int64
}

// replyWorker posts agents' replies through the API with their session,
// the way the desk page does.
func (r *chatRun) replyWorker(ctx context.Context, jobs <-chan replyJob) {
	for j := range jobs {
		if ctx.Err() != nil {
			r.replyUnsent.Add(1)
			continue
		}
		at := time.Now().UnixNano()
		r.msgs[j.n].replyAt.Store(at)
		text := fmt.Sprintf("回复 %s%d:%d 您好，已为您查询，本期应还 1,280.00 元。", r.reply, j.n, at)
		h := http.Header{"Cookie": {"huiliu_session=" + j.agent.cookie}, "X-Csrf-Token": {j.agent.csrf}}
		_, err := r.b.desk.call(ctx, http.MethodPost, "/api/v1/tickets/"+url.PathEscape(j.ticket)+"/messages", h,
			map[string]string{"kind": "reply", "text": text}, nil, http.StatusCreated)
		if err != nil {
			r.msgs[j.n].replyAt.Store(0)
			if ctx.Err() != nil {
				// The grace period ended first: the bench's doing, not the desk's.
				r.replyUnsent.Add(1)
				continue
			}
			r.replyErrors.Add(1)
			r.noteErr("reply: %v", err)
			continue
		}
		r.replyPosted.Add(1)
	}
}

type chatResult struct {
	rate                 float64
	offered, busyRate    float64 // msg/s sent and answered busy during the run
	busy                 int64
	lat                  []time.Duration
	ackLat               []time.Duration // send → ack: the commit's share of lat
	lost, dups           int
	replies, repliesSeen int64
	replyLat             []time.Duration
	replyLost, replyDups int
	sent, acked          int64
	rateLimited, unavail int64
	refused, unanswered  int64
	skipped, dropped     int64
	dupAcks, replyErrors int64
	replyQueueFull       int64
	replyUnsent          int64
	grace                time.Duration
	reconnects, resets   int
	covered              int
	firstErr             string
}

func (r *chatRun) result(elapsed time.Duration, unanswered int64) chatResult {
	res := chatResult{
		rate:    float64(r.ackedInRun.Load()) / elapsed.Seconds(),
		offered: float64(r.sent.Load()) / elapsed.Seconds(), busyRate: float64(r.busy.Load()) / elapsed.Seconds(), busy: r.busy.Load(),
		sent: r.sent.Load(), acked: r.acked.Load(), rateLimited: r.rateLimited.Load(), unavail: r.unavailable.Load(),
		refused: r.refused.Load(), unanswered: unanswered, skipped: r.skipped.Load(), dropped: r.dropped.Load(),
		dupAcks: r.dupAcks.Load(), replies: r.replyPosted.Load(), replyErrors: r.replyErrors.Load(),
		replyQueueFull: r.replyFailedQueue.Load(), replyUnsent: r.replyUnsent.Load(), grace: r.b.Grace, replyLat: r.replyLat, firstErr: r.firstErr,
	}
	for _, a := range r.agents {
		res.lat = append(res.lat, a.lat...)
		res.dups += a.dups
		res.reconnects += a.reconnects
		res.resets += a.resets
	}
	used := min(r.next.Load(), int64(len(r.msgs)))
	for i := range used {
		m := &r.msgs[i]
		if m.replyAt.Load() != 0 {
			if s := m.replySeen.Load(); s == 0 {
				res.replyLost++
			} else {
				res.repliesSeen++
			}
		}
	}
	res.replyDups = int(r.customerDups.Load())
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range used {
		m := &r.msgs[i]
		if !m.acked.Load() || m.seen.Load() != 0 {
			continue
		}
		if t := m.ticket.Load(); t != nil && r.covered[*t] >= m.ackSeq.Load() {
			res.covered++
		} else {
			res.lost++
		}
	}
	return res
}

// pct is the p-quantile of d in milliseconds (d is sorted in place).
func pct(d []time.Duration, p float64) float64 {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
}

func (r chatResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "chat: %.0f msg/s, customer→agent p50 %.1f ms, p99 %.1f ms, lost %d, duplicated %d; offered %.0f msg/s, refused busy %.0f msg/s (%d), agent disconnects %d\n",
		r.rate, pct(r.lat, 0.50), pct(r.lat, 0.99), r.lost, r.dups, r.offered, r.busyRate, r.busy, r.reconnects)
	fmt.Fprintf(&b, "replies: %d sent, %d reached the customer, agent→customer p50 %.1f ms, p99 %.1f ms, lost %d, duplicated %d\n",
		r.replies, r.repliesSeen, pct(r.replyLat, 0.50), pct(r.replyLat, 0.99), r.replyLost, r.replyDups)
	fmt.Fprintf(&b, "customers: sent %d, acked %d (ack p50 %.1f ms, p99 %.1f ms), rate_limited %d, unavailable %d, refused %d, unanswered %d, skipped %d (customer already waiting on %d acks), dropped %d, duplicate acks %d; reply errors %d, unsent at the end %d; agent sockets: reconnects %d, resets %d, messages covered by a later event of their ticket %d; lost means not seen within the grace of %s",
		r.sent, r.acked, pct(r.ackLat, 0.50), pct(r.ackLat, 0.99), r.rateLimited, r.unavail, r.refused, r.unanswered, r.skipped, maxInflight, r.dropped, r.dupAcks, r.replyErrors+r.replyQueueFull, r.replyUnsent, r.reconnects, r.resets, r.covered, r.grace)
	if r.firstErr != "" {
		b.WriteString("\nfirst error: " + r.firstErr)
	}
	return b.String()
}

// runIdle opens b.Idle customer connections that say hello and then only
// answer pings, and reports how much the desk's resident memory grew.
func (b chatBench) runIdle(ctx context.Context, stderr io.Writer) (string, error) {
	d := b.desk
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	site, err := d.createSite(ctx, desk.NewID())
	if err != nil {
		return "", err
	}
	// One connection first, so what every server pays once (code paged
	// in, pools warmed) is not charged to the connections measured.
	warm, _, err := d.dialCustomer(ctx, site.Key)
	if err != nil {
		return "", err
	}
	defer warm.Close()
	time.Sleep(500 * time.Millisecond)
	before, err := d.serverRSS(ctx)
	if err != nil {
		return "", err
	}
	conns := make([]*websocket.Conn, b.Idle)
	var wg sync.WaitGroup
	defer func() {
		for _, c := range conns {
			if c != nil {
				_ = c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "bench done"), time.Now().Add(time.Second))
				c.Close()
			}
		}
		wg.Wait()
	}()
	err = parallel(ctx, b.Idle, func(i int) error {
		ws, _, err := d.dialCustomer(ctx, site.Key)
		if err != nil {
			return err
		}
		conns[i] = ws
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Reading keeps the connection alive: gorilla answers the
			// desk's pings from inside ReadMessage.
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		}()
	}
	// Let the desk finish each connection's first pull and settle.
	time.Sleep(2 * time.Second)
	after, err := d.serverRSS(ctx)
	if err != nil {
		return "", err
	}
	grew := after - before
	mine, err := ownRSS()
	if err != nil {
		fmt.Fprintf(stderr, "bench chat: %v\n", err)
	}
	line := fmt.Sprintf("chat idle: %d connections, server RSS %+.1f MB (%.1f KB per connection), bench RSS %.1f MB",
		len(conns), grew/(1<<20), grew/float64(len(conns))/1024, mine/(1<<20))
	if b.Hold > 0 {
		fmt.Fprintf(stderr, "%s\nbench chat: holding the connections for %s\n", line, b.Hold)
		select {
		case <-ctx.Done():
		case <-time.After(b.Hold):
		}
	}
	return line, nil
}

// serverRSS reads process_resident_memory_bytes from the desk's /metrics.
func (d *chatDesk) serverRSS(ctx context.Context) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.base+"/metrics", nil)
	if err != nil {
		return 0, fmt.Errorf("reading the desk's metrics: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+d.metricsToken)
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("reading the desk's metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("reading the desk's metrics: status %d", resp.StatusCode)
	}
	return metricValue(resp.Body, "process_resident_memory_bytes")
}

// metricValue finds an unlabelled sample in Prometheus text format.
func metricValue(r io.Reader, name string) (float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return 0, fmt.Errorf("metric %s: %q is not a number", name, v)
			}
			return f, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading metric %s: %w", name, err)
	}
	return 0, fmt.Errorf("the desk's /metrics has no %s (it is reported on Linux only)", name)
}

// ownRSS is this process's resident memory in bytes, from /proc.
func ownRSS() (float64, error) {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("reading the bench's own memory: %w", err)
	}
	for line := range strings.SplitSeq(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			if err != nil {
				return 0, fmt.Errorf("reading the bench's own memory: VmRSS %q", v)
			}
			return kb * 1024, nil
		}
	}
	return 0, errors.New("reading the bench's own memory: no VmRSS in /proc/self/status")
}
