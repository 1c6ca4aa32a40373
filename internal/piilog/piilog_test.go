package piilog

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

type account struct {
	Phone string
	N     int
}

func TestHandlerMasksEverywhere(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var b bytes.Buffer
		var inner slog.Handler = slog.NewTextHandler(&b, nil)
		if format == "json" {
			inner = slog.NewJSONHandler(&b, nil)
		}
		log := slog.New(New(inner)).With("visitor", "zhang.san@example.com").WithGroup("req")
		log.Info("customer 13800138000 wrote",
			"text", "卡号 6222020200001234562",
			"err", fmt.Errorf("send to %s: %w", "13800138000", errors.New("refused")),
			"account", account{Phone: "13800138000", N: 1},
			"raw", []byte("110101199003071233"),
			slog.Group("g", "id", "110101199003071233"),
			"n", 42, "d", time.Second, "clean", account{Phone: "none", N: 2})
		out := b.String()
		for _, raw := range []string{"13800138000", "zhang.san", "6222020200001234562", "110101199003071233"} {
			if strings.Contains(out, raw) {
				t.Errorf("%s: %q is in %s", format, raw, out)
			}
		}
		for _, kept := range []string{"138****8000", "z***@example.com", "refused", "42", "none"} {
			if !strings.Contains(out, kept) {
				t.Errorf("%s: %q is missing from %s", format, kept, out)
			}
		}
		if format == "json" && !strings.Contains(out, `"clean":{"Phone":"none","N":2}`) {
			t.Errorf("a value with nothing to mask lost its structure: %s", out)
		}
	}
}
