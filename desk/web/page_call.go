package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// RecordingFetcher opens a call's recording from the call platform
// (channels/phone.Recordings: the line's hosts only, SSRF-guarded).
type RecordingFetcher interface {
	Fetch(ctx context.Context, line, url string) (io.ReadCloser, string, error)
}

// recordingLinkTTL is how long a recording link in a rendered page plays.
const recordingLinkTTL = 30 * time.Minute

// callEntry is a call on the timeline, in the reader's language.
type callEntry struct {
	Title, Agent, Queue, Disposition, Notes, Talk string
	Started, Answered, Ended                      time.Time
	// Recording is the signed proxy link; empty without a recording.
	Recording string
	// CallID is the call record; AgentID the agent who had the call.
	CallID, AgentID string
	ended           bool
	// WrapUp is set for the agent who had an ended call: the entry offers
	// them the wrap-up form, with these dispositions to choose from.
	WrapUp []dispositionChoice
	// DispositionValue is the stored disposition, preselected in the form.
	// The notes are not put back in it: the page shows them masked, and
	// saving a masked copy would lose the original.
	DispositionValue string
}

// dispositionChoice is one entry of the wrap-up's disposition list.
type dispositionChoice struct{ Value, Label string }

// wrapUpDispositions are the outcomes an agent picks after a call; the
// stored value is the key, shown in the reader's language.
var wrapUpDispositions = []string{"resolved", "follow_up", "promise_to_pay", "plan_requested", "complaint", "wrong_number", "other"}

// dispositionLabel is a disposition in lang: one of the wrap-up's in the
// catalog, else as the platform or agent wrote it.
func dispositionLabel(lang, d string) string {
	if key := "phone.disposition." + d; d != "" && i18n.Has(lang, key) {
		return i18n.T(lang, key)
	}
	return d
}

// callEntryOf reads a call entry's event; nil for other messages.
func callEntryOf(lang string, m desk.Message) *callEntry {
	if m.Kind != desk.MessageKindCall || m.Event == nil {
		return nil
	}
	a := m.Event.Args
	ce := &callEntry{Title: m.Text, Agent: a["agent"], Queue: a["queue"], Disposition: dispositionLabel(lang, a["disposition"]),
		Notes: a["notes"], CallID: a["call"], AgentID: a["agent_id"], ended: a["state"] == "ended",
		DispositionValue: a["disposition"]}
	if key := "sys." + m.Event.Action; i18n.Has(lang, key) {
		ce.Title = i18n.T(lang, key, "number", a["number"])
	}
	for k, dst := range map[string]*time.Time{"started": &ce.Started, "answered": &ce.Answered, "ended": &ce.Ended} {
		if t, err := time.Parse(time.RFC3339, a[k]); err == nil {
			*dst = t
		}
	}
	if n, err := strconv.Atoi(a["talk"]); err == nil && n > 0 {
		ce.Talk = i18n.T(lang, "phone.seconds", "n", strconv.Itoa(n))
		if n >= 60 {
			ce.Talk = i18n.T(lang, "phone.minutes", "m", strconv.Itoa(n/60), "s", strconv.Itoa(n%60))
		}
	}
	if a["recording"] == "1" {
		ce.Recording = a["call"] // made a signed link by the page, which knows the reader
	}
	return ce
}

// forReader finishes a call entry for the reading agent: the recording's
// signed link, and the wrap-up form when the call was theirs and ended.
func (s *Server) forReader(lang, agentID string, c *callEntry, now time.Time) {
	if c.Recording != "" {
		c.Recording = s.recordingLink(agentID, c.Recording, now)
	}
	if c.ended && c.AgentID != "" && c.AgentID == agentID {
		for _, d := range wrapUpDispositions {
			c.WrapUp = append(c.WrapUp, dispositionChoice{Value: d, Label: i18n.T(lang, "phone.disposition."+d)})
		}
	}
}

// recordingSig binds a link to the call, the agent and the expiry.
func recordingSig(key []byte, agentID, callID string, exp int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(agentID + "\n" + callID + "\n" + strconv.FormatInt(exp, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// recordingLink is the signed, expiring proxy link of a call's recording
// for agent; empty when the desk has no recording proxy.
func (s *Server) recordingLink(agentID, callID string, now time.Time) string {
	if s.opts.Recordings == nil || len(s.opts.RecordingKey) == 0 {
		return ""
	}
	exp := now.Add(recordingLinkTTL).Unix()
	return "/desk/recordings/" + callID + "?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + recordingSig(s.opts.RecordingKey, agentID, callID, exp)
}

// callEntriesFor finishes the rendered call entries for the reading agent.
func (s *Server) callEntriesFor(lang, agentID string, entries []entryView) {
	now := time.Now()
	for i := range entries {
		if c := entries[i].Call; c != nil {
			s.forReader(lang, agentID, c, now)
		}
	}
}

// recording relays a call's recording to an agent holding a valid link
// who may see the ticket; customers never get one.
func (s *Server) recording(c echo.Context) error {
	if s.opts.Recordings == nil || len(s.opts.RecordingKey) == 0 {
		return desk.Errorf(desk.CodeNotFound, "recording not found")
	}
	agent := current(c).Agent
	id := c.Param("id")
	exp, err := strconv.ParseInt(c.QueryParam("exp"), 10, 64)
	want := recordingSig(s.opts.RecordingKey, agent.ID, id, exp)
	if err != nil || time.Now().Unix() > exp || !hmac.Equal([]byte(c.QueryParam("sig")), []byte(want)) {
		return desk.Errorf(desk.CodeNotFound, "recording not found or the link expired; reload the ticket")
	}
	ctx := c.Request().Context()
	rec, err := s.svc.CallRecording(ctx, agent, id)
	if err != nil {
		return err
	}
	body, ct, err := s.opts.Recordings.Fetch(ctx, rec.Line, rec.RecordingURL)
	if err != nil {
		s.log.Warn("web: recording", "call", id, "err", err)
		return desk.Errorf(desk.CodeUnavailable, "the call platform did not give the recording")
	}
	defer body.Close()
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", "inline")
	return c.Stream(http.StatusOK, ct, body)
}
