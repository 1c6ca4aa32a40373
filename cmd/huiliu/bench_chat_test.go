package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var (
	chatSummary = regexp.MustCompile(`^chat: (\d+) msg/s, customer→agent p50 [0-9.]+ ms, p99 [0-9.]+ ms, lost (\d+), duplicated (\d+); offered (\d+) msg/s, refused busy (\d+) msg/s \((\d+)\), agent disconnects (\d+)$`)
	chatReplies = regexp.MustCompile(`^replies: (\d+) sent, (\d+) reached the customer, agent→customer p50 [0-9.]+ ms, p99 [0-9.]+ ms, lost (\d+), duplicated (\d+)$`)
	chatLimited = regexp.MustCompile(`rate_limited (\d+),`)
	chatIdle    = regexp.MustCompile(`^chat idle: (\d+) connections, server RSS [+-][0-9.]+ MB \([-0-9.]+ KB per connection\), bench RSS [0-9.]+ MB$`)
)

func benchAtoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBenchChat runs the chat bench against a real node: everything the
// desk acknowledged must reach an agent once, and every reply the
// customer once. Latencies are printed, never asserted.
func TestBenchChat(t *testing.T) {
	env := []string{"HUILIU_DATA=" + t.TempDir(), "DATABASE_URL=", "REDIS_URL=", "HUILIU_WEBCHAT_MESSAGES_PER_MINUTE=100000"}
	token := adminToken(t, env, "bench@example.com")
	url := node(t, env)
	out, stderr, code := huiliu(t, env, "", "bench", "chat", "--url", url, "--token", token,
		"--duration", "2s", "--customers", "20", "--agents", "2", "--rate", "100")
	if code != 0 {
		t.Fatalf("bench chat: exit %d\n%s\n%s", code, out, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	m := chatSummary.FindStringSubmatch(lines[0])
	if m == nil || len(lines) < 3 {
		t.Fatalf("summary line not understood:\n%s", out)
	}
	if benchAtoi(t, m[1]) <= 0 || m[2] != "0" || m[3] != "0" || benchAtoi(t, m[4]) <= 0 || m[7] != "0" {
		t.Fatalf("want messages offered and flowing, lost 0, duplicated 0, no agent disconnects:\n%s", out)
	}
	r := chatReplies.FindStringSubmatch(lines[1])
	if r == nil {
		t.Fatalf("replies line not understood:\n%s", out)
	}
	// About 200 messages and every 10th answered.
	if benchAtoi(t, r[1]) == 0 || r[1] != r[2] || r[3] != "0" || r[4] != "0" {
		t.Fatalf("want replies sent and each reaching its customer once:\n%s", out)
	}
	if l := chatLimited.FindStringSubmatch(lines[2]); l == nil || l[1] != "0" {
		t.Fatalf("want no rate-limited messages with the limit raised:\n%s", out)
	}
}

// TestBenchChatIdleAndRateLimited: the idle mode reports on the
// connections it held; and on a desk with its default per-visitor limit
// the refused messages are counted and explained, not hidden or taken for
// lost ones.
func TestBenchChatIdleAndRateLimited(t *testing.T) {
	// The desk serves /metrics to the token; the bench reads it from the same variable.
	env := []string{"HUILIU_DATA=" + t.TempDir(), "DATABASE_URL=", "REDIS_URL=", "HUILIU_METRICS_TOKEN=bench-metrics"}
	token := adminToken(t, env, "bench@example.com")
	url := node(t, env)
	out, stderr, code := huiliu(t, env, "", "bench", "chat", "--url", url, "--token", token, "--idle", "50")
	if code != 0 {
		t.Fatalf("bench chat --idle: exit %d\n%s\n%s", code, out, stderr)
	}
	m := chatIdle.FindStringSubmatch(strings.TrimSpace(out))
	if m == nil || m[1] != "50" {
		t.Fatalf("idle line not understood or not 50 connections:\n%s", out)
	}

	// One customer at 20 messages a second for 2 s against 20 a minute.
	out, stderr, code = huiliu(t, env, "", "bench", "chat", "--url", url, "--token", token,
		"--duration", "2s", "--customers", "1", "--agents", "1", "--rate", "20", "--grace", "3s")
	if code != 0 {
		t.Fatalf("bench chat: exit %d\n%s\n%s", code, out, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	s := chatSummary.FindStringSubmatch(lines[0])
	if s == nil || len(lines) < 3 {
		t.Fatalf("summary line not understood:\n%s", out)
	}
	if s[2] != "0" || s[3] != "0" {
		t.Fatalf("refused messages must not count as lost or duplicated:\n%s", out)
	}
	if l := chatLimited.FindStringSubmatch(lines[2]); l == nil || benchAtoi(t, l[1]) == 0 {
		t.Fatalf("want rate-limited messages counted:\n%s", out)
	}
	if !strings.Contains(stderr, "--webchat-messages-per-minute") {
		t.Fatalf("want the bench to say how to lift the limit; stderr:\n%s", stderr)
	}
}
