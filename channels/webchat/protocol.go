package webchat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Frame types; docs/webchat.md is the reference for their fields.
const (
	// client → server
	frameHello   = "hello"
	frameMessage = "message"
	frameTyping  = "typing"
	// verify_send asks for a one-time code, verify_code checks one
	// (verify.go); the server answers both with a verify frame.
	frameVerifySend = "verify_send"
	frameVerifyCode = "verify_code"
	// csat answers a satisfaction survey (survey.go); the server answers
	// with a csat frame too.
	frameSurvey = "csat"
	// callback leaves a name and number to be called back (state.go); the
	// server answers with a callback frame too.
	frameCallback = "callback"
	// server → client (plus frameMessage and frameTyping)
	frameWelcome = "welcome"
	frameAck     = "ack"
	frameTicket  = "ticket"
	frameSynced  = "synced"
	frameError   = "error"
	frameVerify  = "verify"
	frameState   = "state"
)

// Error codes of error frames.
const (
	CodeInvalid     = "invalid"      // the frame cannot be used; fix it, do not resend as is
	CodeTooLarge    = "too_large"    // text is over MaxTextBytes; nothing stored
	CodeRateLimited = "rate_limited" // too many messages, new visitors or new tickets; nothing stored; retry after retry_after seconds
	CodeBusy        = "busy"         // the node stores as fast as it can; nothing stored; retry after retry_after_ms
	CodeUnknownSite = "unknown_site" // no site has this key; the connection is closed
	CodeUnavailable = "unavailable"  // the desk could not take it now; nothing lost, retry after retry_after seconds
	CodeBadLink     = "bad_link"     // a file link with a wrong signature or past its time
	CodeNoFile      = "no_file"      // no such file on that ticket
	CodeBadType     = "bad_type"     // an upload that is not a picture or PDF by its bytes
	CodeBadVisitor  = "bad_visitor"  // an upload without a valid visitor token
)

// Close codes besides the standard 1000/1001/1008/1009/1011.
const (
	// CloseUnknownSite tells the widget not to reconnect: no site has its key.
	CloseUnknownSite = 4404
	// CloseRestart means the server dropped the connection on purpose
	// (shutdown, Close); reconnect and resume.
	CloseRestart = 1012
)

// Field limits of client frames, beyond MaxTextBytes.
const (
	maxClientMsgID = 64
	maxTicketID    = 64
	maxLang        = 35
	maxCode        = 16
	// A survey's token and comment (the desk's limits, desk/csat.go).
	maxSurveyToken   = 80
	maxSurveyComment = 2000
)

var clientMsgIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// clientFrame is any frame a widget sends; Type says which fields count.
// Unknown fields are ignored so a newer widget can talk to an older server.
type clientFrame struct {
	Type string `json:"type"`

	// hello
	Visitor  string         `json:"visitor"`
	TicketID string         `json:"ticket_id"`
	After    int64          `json:"after"`
	Identity *identityClaim `json:"identity"`
	Lang     string         `json:"lang"`

	// message
	ClientMsgID string `json:"client_msg_id"`
	Text        string `json:"text"`
	// New starts a new conversation instead of reopening a resolved one.
	New bool `json:"new"`

	// callback
	Name  string `json:"name"`
	Phone string `json:"phone"`

	// verify_send, verify_code
	Kind string `json:"kind"`
	Code string `json:"code"`

	// csat (with Lang, the widget's language)
	Token   string `json:"token"`
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

// refusal is a refused client frame, answered with an error frame.
type refusal struct {
	Code        string
	Message     string
	ClientMsgID string
	RetryAfter  time.Duration // rate_limited only
}

func (e *refusal) Error() string { return e.Code + ": " + e.Message }

func invalidf(format string, args ...any) *refusal {
	return &refusal{Code: CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

// decodeClientFrame parses and checks one text frame. maxText is the
// message text limit in bytes.
func decodeClientFrame(raw []byte, maxText int) (clientFrame, *refusal) {
	var f clientFrame
	// encoding/json would quietly turn invalid UTF-8 into U+FFFD; the
	// customer should learn their client is broken instead.
	if !utf8.Valid(raw) {
		return f, invalidf("frame is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&f); err != nil {
		return clientFrame{}, invalidf("frame is not a JSON object with the expected fields: %v", jsonProblem(err))
	}
	if dec.More() {
		return clientFrame{}, invalidf("frame has data after the JSON object")
	}
	switch f.Type {
	case frameHello:
		switch {
		case len(f.Visitor) > maxVisitorTokenLen:
			return f, invalidf("visitor token is longer than %d bytes", maxVisitorTokenLen)
		case len(f.TicketID) > maxTicketID:
			return f, invalidf("ticket_id is longer than %d bytes", maxTicketID)
		case f.After < 0:
			return f, invalidf("after must not be negative")
		case len(f.Lang) > maxLang:
			return f, invalidf("lang is longer than %d bytes", maxLang)
		}
	case frameMessage:
		if !clientMsgIDRE.MatchString(f.ClientMsgID) {
			return f, invalidf("client_msg_id must be 1 to %d characters of A-Z a-z 0-9 _ -", maxClientMsgID)
		}
		bad := func(code, format string, args ...any) (clientFrame, *refusal) {
			e := invalidf(format, args...)
			e.Code, e.ClientMsgID = code, f.ClientMsgID
			return f, e
		}
		switch {
		case strings.IndexByte(f.Text, 0) >= 0:
			return bad(CodeInvalid, "text must not contain NUL characters")
		case len(f.Text) > maxText:
			return bad(CodeTooLarge, "text is %d bytes; the limit is %d", len(f.Text), maxText)
		case strings.TrimSpace(f.Text) == "":
			return bad(CodeInvalid, "text is empty")
		}
	case frameTyping:
	case frameVerifySend, frameVerifyCode:
		if f.Kind != VerifySMS && f.Kind != VerifyEmail {
			return f, invalidf("kind must be %q or %q", VerifySMS, VerifyEmail)
		}
		if f.Type == frameVerifyCode && (f.Code == "" || len(f.Code) > maxCode) {
			return f, invalidf("code must be 1 to %d bytes", maxCode)
		}
	case frameSurvey:
		switch {
		case f.Token == "" || len(f.Token) > maxSurveyToken:
			return f, invalidf("token must be 1 to %d bytes", maxSurveyToken)
		case f.Score < 1 || f.Score > 5:
			return f, invalidf("score must be 1 to 5")
		case len(f.Comment) > maxSurveyComment || strings.IndexByte(f.Comment, 0) >= 0:
			return f, invalidf("comment must be at most %d bytes without NUL characters", maxSurveyComment)
		case len(f.Lang) > maxLang:
			return f, invalidf("lang is longer than %d bytes", maxLang)
		}
	case frameCallback:
		if len(f.Name) > maxCallbackName || len(f.Phone) > maxCallbackPhone || strings.TrimSpace(f.Phone) == "" {
			return f, invalidf("callback needs a phone of at most %d bytes and a name of at most %d", maxCallbackPhone, maxCallbackName)
		}
	case "":
		return f, invalidf("frame has no type")
	default:
		return f, invalidf("unknown frame type %q", truncate(f.Type, 32))
	}
	return f, nil
}

// jsonProblem says what is wrong without echoing the customer's bytes back.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("syntax error at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("field %q has the wrong type", truncate(e.Field, 32))
	default:
		return "unreadable"
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// unixTime is unix seconds, given as a JSON number or a string of digits:
// data-* attributes on the host page are strings, and it is the host's
// signature that matters, not how the number was spelled.
type unixTime int64

func (t *unixTime) UnmarshalJSON(b []byte) error {
	s := string(b)
	if unq, err := strconv.Unquote(s); err == nil {
		s = unq
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("iat %q is not unix seconds", truncate(s, 20))
	}
	*t = unixTime(n)
	return nil
}

// Server frames.

type welcomeFrame struct {
	Type      string     `json:"type"`
	Visitor   string     `json:"visitor"` // the token to keep
	VisitorID string     `json:"visitor_id"`
	TicketID  string     `json:"ticket_id"` // the active ticket; "" when none
	Site      siteInfo   `json:"site"`
	Identity  string     `json:"identity"` // "verified", "ignored" or "none"
	Limits    limitsInfo `json:"limits"`
}

type siteInfo struct {
	Name      string `json:"name"`
	Greeting  string `json:"greeting"`
	HoursNote string `json:"hours_note"`
}

type limitsInfo struct {
	MaxTextBytes      int   `json:"max_text_bytes"`
	MessagesPerMinute int   `json:"messages_per_minute"`
	TypingIntervalMS  int64 `json:"typing_interval_ms"`
	MaxUploadBytes    int64 `json:"max_upload_bytes"`
}

type ackFrame struct {
	Type        string `json:"type"`
	ClientMsgID string `json:"client_msg_id"`
	ID          string `json:"id"`
	Seq         int64  `json:"seq"`
	TicketID    string `json:"ticket_id"`
	Duplicate   bool   `json:"duplicate"`
	// Linked says the message carried the verified identity; the widget
	// stops sending it afterwards.
	Linked bool `json:"linked,omitempty"`
}

type messageFrame struct {
	Type    string  `json:"type"`
	Message Message `json:"message"`
}

type typingFrame struct {
	Type      string `json:"type"`
	AgentName string `json:"agent_name,omitempty"`
}

type ticketFrame struct {
	Type     string `json:"type"`
	TicketID string `json:"ticket_id"`
}

type syncedFrame struct {
	Type     string `json:"type"`
	TicketID string `json:"ticket_id"`
	Seq      int64  `json:"seq"`
}

type errorFrame struct {
	Type        string `json:"type"`
	Code        string `json:"code"`
	Message     string `json:"message"`
	ClientMsgID string `json:"client_msg_id,omitempty"`
	RetryAfter  int    `json:"retry_after,omitempty"` // seconds
	// RetryAfterMs is the finer delay of a busy answer.
	RetryAfterMs int64 `json:"retry_after_ms,omitempty"`
}

func encodeFrame(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Every frame is made of strings, numbers and times we built.
		panic(fmt.Sprintf("webchat: encoding frame: %v", err))
	}
	return b
}

// retrySeconds rounds d up to whole seconds, at least one.
func retrySeconds(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}
