package telegram

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func checkParts(t *testing.T, s string, parts []string, limit int) {
	t.Helper()
	if strings.Join(parts, "") != s {
		t.Fatal("parts do not re-join to the original")
	}
	for i, p := range parts {
		if p == "" || !utf8.ValidString(p) {
			t.Fatalf("part %d empty or invalid UTF-8", i)
		}
		if n := utf16Len(p); n > limit {
			t.Fatalf("part %d has %d units > %d", i, n, limit)
		}
	}
}

func TestSplit(t *testing.T) {
	if got := splitText("short", 4096); len(got) != 1 || got[0] != "short" {
		t.Fatalf("short: %q", got)
	}
	if got := splitText("", 4096); len(got) != 0 {
		t.Fatalf("empty: %q", got)
	}
	// Prefers the newline, even with spaces after it.
	s := strings.Repeat("a", 3000) + "\n" + strings.Repeat("b ", 1000)
	parts := splitText(s, 4096)
	checkParts(t, s, parts, 4096)
	if len(parts) != 2 || !strings.HasSuffix(parts[0], "\n") {
		t.Fatalf("did not break at the newline: %d parts", len(parts))
	}
	// Emoji are two units each: 3000 of them need two parts, never half a pair.
	s = strings.Repeat("😀", 3000)
	parts = splitText(s, 4096)
	checkParts(t, s, parts, 4096)
	if len(parts) != 2 || utf16Len(parts[0]) != 4096 {
		t.Fatalf("emoji split: %d parts, first %d units", len(parts), utf16Len(parts[0]))
	}
	// A family emoji (joined by ZWJ) is not cut apart at the boundary.
	family := "👩\u200d👩\u200d👧"
	s = strings.Repeat("x", 4094) + family
	parts = splitText(s, 4096)
	checkParts(t, s, parts, 4096)
	if parts[len(parts)-1] != family {
		t.Fatalf("family emoji split: last part %q", parts[len(parts)-1])
	}
	// Chinese without spaces breaks after a sentence end.
	s = strings.Repeat("您好。", 2000)
	parts = splitText(s, 4096)
	checkParts(t, s, parts, 4096)
	if !strings.HasSuffix(parts[0], "。") {
		t.Fatal("Chinese split not at a sentence end")
	}
}

func TestSplitRandom(t *testing.T) {
	alphabet := []rune("ab \n你好。😀\u200d\u0301🇨🇳\uFE0F")
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		n := r.IntN(300)
		var b strings.Builder
		for range n {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		s := b.String()
		limit := 1 + r.IntN(40)
		checkParts(t, s, splitText(s, limit), max(limit, 2))
	}
}
