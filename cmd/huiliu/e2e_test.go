package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"huiliu/store/storetest"
)

// binary is the huiliu executable built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "huiliu-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "huiliu")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build huiliu:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// e2eRedisDB keeps this package's keys apart from other test packages that
// share the Redis server.
const e2eRedisDB = 3

// sharedBackends returns the environment for nodes that share one store and
// one Redis: the test's PostgreSQL database or a SQLite directory, and the
// real Redis (REDIS_URL, database e2eRedisDB, flushed) or a miniredis.
func sharedBackends(t *testing.T) []string {
	t.Helper()
	cfg := storetest.Config(t)
	env := []string{"HUILIU_DATA=" + cfg.DataDir, "DATABASE_URL=" + cfg.URL}
	if cfg.DataDir == "" {
		env[0] = "HUILIU_DATA=" + t.TempDir()
	}
	if ru := os.Getenv("REDIS_URL"); ru != "" {
		u, err := url.Parse(ru)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = fmt.Sprintf("/%d", e2eRedisDB)
		out, err := exec.Command("redis-cli", "-u", u.String(), "FLUSHDB").CombinedOutput()
		if err != nil {
			t.Fatalf("flush redis db %d: %v %s", e2eRedisDB, err, out)
		}
		return append(env, "REDIS_URL="+u.String())
	}
	mr := miniredis.RunT(t)
	return append(env, "REDIS_URL=redis://"+mr.Addr())
}

// huiliu runs a subcommand to completion.
func huiliu(t *testing.T, env []string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

var listening = regexp.MustCompile(`listening on (http://[0-9.:]+)`)

// running is a `huiliu serve` process.
type running struct {
	url    string
	cmd    *exec.Cmd
	exited chan error
	logs   *lockedBuffer
}

// startNode starts `huiliu serve` on a free port and waits until it listens.
func startNode(t *testing.T, env []string) *running {
	t.Helper()
	return startNodeArgs(t, env, "--addr", "127.0.0.1:0")
}

// startNodeAt starts a node on the address its environment names
// (HUILIU_ADDR) and stops it at cleanup like node does.
func startNodeAt(t *testing.T, env []string) string {
	t.Helper()
	r := startNodeArgs(t, env)
	stopAtCleanup(t, r)
	return r.url
}

// freeAddr is a loopback address with a port free a moment ago, for a node
// that must know its own URL before it starts.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startNodeArgs(t *testing.T, env []string, args ...string) *running {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"serve"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &running{cmd: cmd, exited: make(chan error, 1), logs: &lockedBuffer{}}
	cmd.Stderr = r.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				urlc <- m[1]
			}
		}
		r.exited <- cmd.Wait()
	}()
	select {
	case r.url = <-urlc:
		return r
	case err := <-r.exited:
		t.Fatalf("node exited early: %v\n%s", err, r.logs.String())
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("node did not start; logs:\n%s", r.logs.String())
	}
	return nil
}

// node starts a node that is stopped with SIGTERM at cleanup and must then
// exit cleanly.
func node(t *testing.T, env []string) string {
	t.Helper()
	r := startNode(t, env)
	stopAtCleanup(t, r)
	return r.url
}

// stopAtCleanup stops r with SIGTERM when the test ends; it must exit
// cleanly.
func stopAtCleanup(t *testing.T, r *running) {
	t.Cleanup(func() {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-r.exited:
			if err != nil {
				t.Errorf("node exited with %v; logs:\n%s", err, r.logs.String())
			}
		case <-time.After(20 * time.Second):
			_ = r.cmd.Process.Kill()
			t.Errorf("node did not stop on SIGTERM; logs:\n%s", r.logs.String())
		}
	})
}

func TestTwoNodesShareOneDesk(t *testing.T) {
	env := sharedBackends(t)
	token := adminToken(t, env, "ops@example.com")
	node1 := node(t, env)
	node2 := node(t, env)

	// Follow node 2's event stream (subscribed before the answer).
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", node2+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("events on node 2: %d", resp.StatusCode)
	}

	body := `{"external_id":"two-node-1","thread_key":"t","from":{"kind":"api","value":"cust-2n"},"text":"节点一收到的消息"}`
	preq, _ := http.NewRequest("POST", node1+"/api/v1/inbound", strings.NewReader(body))
	preq.Header.Set("Authorization", "Bearer "+token)
	preq.Header.Set("Content-Type", "application/json")
	presp, err := http.DefaultClient.Do(preq)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(presp.Body)
	presp.Body.Close()
	if presp.StatusCode != 201 {
		t.Fatalf("inbound on node 1: %d %s", presp.StatusCode, raw)
	}
	msgID := regexp.MustCompile(`"message_id":"([0-9A-Z]+)"`).FindSubmatch(raw)
	if msgID == nil {
		t.Fatalf("no message id in %s", raw)
	}

	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "data: ") && strings.Contains(line, `"type":"ticket.created"`) {
			if !strings.Contains(line, string(msgID[1])) || !strings.Contains(line, "节点一收到的消息") {
				t.Fatalf("node 2 saw another message: %s", line)
			}
			return
		}
	}
	t.Fatalf("node 2's stream ended before the message arrived: %v", sc.Err())
}

func TestCommandLine(t *testing.T) {
	data := t.TempDir()
	env := []string{"HUILIU_DATA=" + data, "DATABASE_URL=", "REDIS_URL="}
	if out, _, code := huiliu(t, env, "", "version"); code != 0 || !strings.HasPrefix(out, "huiliu ") {
		t.Fatalf("version: %d %q", code, out)
	}
	out, _, code := huiliu(t, []string{"DATABASE_URL=postgres://u:hunter2@db.example:5432/x", "HUILIU_API_CALLBACK_SECRET=topsecret"}, "", "serve", "--print-config", "--addr", "127.0.0.1:9999")
	if code != 0 || strings.Contains(out, "hunter2") || strings.Contains(out, "topsecret") ||
		!strings.Contains(out, `addr = "127.0.0.1:9999"`) || !strings.Contains(out, "u:xxxxx@db.example") {
		t.Fatalf("print-config: %d\n%s", code, out)
	}
	cfgFile := filepath.Join(t.TempDir(), "huiliu.toml")
	os.WriteFile(cfgFile, []byte("addr = \"127.0.0.1:7000\"\nlog_level = \"debug\"\n"), 0o600)
	out, _, _ = huiliu(t, []string{"HUILIU_CONFIG=" + cfgFile, "HUILIU_LOG_LEVEL=warn"}, "", "serve", "--print-config")
	if !strings.Contains(out, `addr = "127.0.0.1:7000"`) || !strings.Contains(out, `log_level = "warn"`) {
		t.Fatalf("file then environment precedence:\n%s", out)
	}
	os.WriteFile(cfgFile, []byte("adrr = \"x\"\n"), 0o600)
	if _, stderr, code := huiliu(t, []string{"HUILIU_CONFIG=" + cfgFile}, "", "serve", "--print-config"); code != 2 || !strings.Contains(stderr, `unknown key "adrr"`) {
		t.Fatalf("unknown config key: %d %s", code, stderr)
	}
	// Telegram: the bot's token is masked; a bot with two token sources, or
	// a webhook bot without a public URL, is refused before anything starts.
	out, _, code = huiliu(t, []string{"HUILIU_TELEGRAM_TOKEN=123:very-secret-token"}, "", "serve", "--print-config")
	if code != 0 || strings.Contains(out, "very-secret-token") || !strings.Contains(out, "[[telegram]]\nname = \"main\"") {
		t.Fatalf("telegram print-config: %d\n%s", code, out)
	}
	os.WriteFile(cfgFile, []byte("[[telegram]]\nname = \"a\"\ntoken = \"x\"\ntoken_file = \"/y\"\n\n[[telegram]]\nname = \"b\"\ntoken = \"z\"\nmode = \"webhook\"\n"), 0o600)
	if _, stderr, code := huiliu(t, []string{"HUILIU_CONFIG=" + cfgFile}, "", "serve", "--print-config"); code != 2 ||
		!strings.Contains(stderr, `telegram bot "a": give exactly one of token and token_file`) || !strings.Contains(stderr, `telegram bot "b": webhook mode needs public_url`) {
		t.Fatalf("bad telegram config: %d %s", code, stderr)
	}
	if _, stderr, code := huiliu(t, env, "", "agent", "add", "--email", "a@example.com"); code != 2 || !strings.Contains(stderr, "--name") {
		t.Fatalf("missing flag: %d %s", code, stderr)
	}
	pwFile := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pwFile, []byte("long enough password\n"), 0o600)
	if out, stderr, code := huiliu(t, env, "", "agent", "add", "--data", data, "--email", "Mei@Example.com", "--name", "梅", "--role", "supervisor", "--team", "催收,法务", "--password-file", pwFile); code != 0 || !strings.Contains(out, "mei@example.com") {
		t.Fatalf("agent add: %d %s %s", code, out, stderr)
	}
	if _, stderr, code := huiliu(t, env, "", "agent", "add", "--email", "mei@example.com", "--name", "x", "--password-file", pwFile); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Fatalf("duplicate agent: %d %s", code, stderr)
	}
	if _, stderr, code := huiliu(t, env, "short\n", "agent", "add", "--email", "b@example.com", "--name", "b"); code != 1 || !strings.Contains(stderr, "at least 8") {
		t.Fatalf("short password: %d %s", code, stderr)
	}
	if _, stderr, code := huiliu(t, env, "", "token", "add", "--agent", "ghost@example.com", "--name", "x"); code != 1 || !strings.Contains(stderr, "no agent") {
		t.Fatalf("token for unknown agent: %d %s", code, stderr)
	}
	if out, _, code := huiliu(t, env, "", "migrate"); code != 0 || !strings.Contains(out, "sqlite") {
		t.Fatalf("migrate: %d %s", code, out)
	}
	if _, _, code := huiliu(t, env, "", "frobnicate"); code != 2 {
		t.Fatalf("unknown command: exit %d, want 2", code)
	}
}
