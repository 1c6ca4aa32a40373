package phone

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"time"

	"huiliu/channels"
	"huiliu/channels/api"
)

// Webhook limits.
const (
	// MaxBodyBytes is far above a batch of MaxEventsPerRequest events.
	MaxBodyBytes = 256 << 10
	// ReplayWindow is how far a request's timestamp may be from now.
	ReplayWindow = 5 * time.Minute
)

// CallSink takes call events; it returns only after the commit. An error
// wrapping channels.ErrPermanent is a refusal no retry fixes.
type CallSink interface {
	RecordCall(ctx context.Context, c channels.Call) (channels.CallReceipt, error)
}

// EventsPath is where a line's webhook is served.
func EventsPath(line string) string { return "/channels/phone/" + line + "/events" }

// Handler serves POST EventsPath(line.Name): the request must carry
// X-Huiliu-Timestamp (unix seconds, within ReplayWindow of now) and
// X-Huiliu-Signature ("sha256=" + hex HMAC-SHA256 of timestamp + "." +
// body under the line's secret). It answers 200 with the receipts only
// after every event was committed, 401 for a bad signature or timestamp,
// 400 for a body the mapping cannot read, 413 above MaxBodyBytes and 500
// when the desk failed (the platform retries; events are idempotent).
func Handler(line Line, sink CallSink, now func() time.Time, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log := log.With("line", line.Name, "remote", r.RemoteAddr)
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, "use POST")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeError(w, http.StatusRequestEntityTooLarge, "body larger than 256 KiB")
				return
			}
			writeError(w, http.StatusBadRequest, "could not read the body")
			return
		}
		if err := api.Verify(line.Secret, r.Header.Get(api.HeaderTimestamp), r.Header.Get(api.HeaderSignature), body, now(), ReplayWindow); err != nil {
			log.Warn("phone: refused webhook call", "err", err)
			writeError(w, http.StatusUnauthorized, err.Error())
			return
		}
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		calls, err := line.Mapping.Decode(line, body, ct == "application/x-www-form-urlencoded")
		if err != nil {
			log.Warn("phone: unreadable call event", "err", err)
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		out := make([]channels.CallReceipt, 0, len(calls))
		for _, c := range calls {
			rc, err := sink.RecordCall(r.Context(), c)
			if errors.Is(err, channels.ErrPermanent) {
				writeError(w, http.StatusBadRequest, err.Error())
				return
			}
			if err != nil {
				log.Error("phone: storing a call event", "call", c.CallID, "state", c.State, "err", err)
				writeError(w, http.StatusInternalServerError, "the desk could not store the event; retry")
				return
			}
			out = append(out, rc)
		}
		writeJSON(w, http.StatusOK, map[string]any{"results": out})
	})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
