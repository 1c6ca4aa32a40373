// Package piilog keeps personal data out of server logs: a slog.Handler
// wrapper that masks ID, bank card and mobile numbers and e-mail addresses
// (package desk/pii) in the message and in every attribute before the
// wrapped handler writes them. Error values and other values are masked in
// their printed form; a value whose printed form holds nothing to mask is
// passed on as it is, so structured output stays structured.
package piilog

import (
	"context"
	"fmt"
	"log/slog"

	"huiliu/desk/pii"
)

// Handler masks records before next handles them.
type Handler struct {
	next slog.Handler
}

// New wraps next.
func New(next slog.Handler) *Handler { return &Handler{next: next} }

// Enabled defers to the wrapped handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle masks the message and the attributes of r.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, pii.Mask(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs masks the attributes once, when they are attached.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(as))
	for i, a := range as {
		masked[i] = maskAttr(a)
	}
	return &Handler{next: h.next.WithAttrs(masked)}
}

// WithGroup defers to the wrapped handler.
func (h *Handler) WithGroup(name string) slog.Handler { return &Handler{next: h.next.WithGroup(name)} }

func maskAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, pii.Mask(v.String()))
	case slog.KindGroup:
		g := v.Group()
		masked := make([]slog.Attr, len(g))
		for i, ga := range g {
			masked[i] = maskAttr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(masked...)}
	case slog.KindAny:
		var s string
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, pii.Mask(x.Error()))
		case []byte:
			return slog.String(a.Key, pii.Mask(string(x)))
		case fmt.Stringer:
			s = x.String()
		default:
			s = fmt.Sprintf("%+v", x)
		}
		if m := pii.Mask(s); m != s {
			return slog.String(a.Key, m)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
