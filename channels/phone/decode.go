package phone

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"huiliu/channels"
)

// Limits on what a callback may carry.
const (
	MaxEventsPerRequest = 100
	maxCallIDBytes      = 128
	maxShortBytes       = 200  // agent, queue, disposition
	maxURLBytes         = 2048 // recording links
	maxNotesBytes       = 4000
)

// Decode reads a callback body through the mapping: a JSON object, a
// JSON array of objects (at most MaxEventsPerRequest), or, when form is
// true, an application/x-www-form-urlencoded body. Every event must be
// valid or none is taken: the error names the event and field.
func (m *Mapping) Decode(line Line, body []byte, form bool) ([]channels.Call, error) {
	var objs []map[string]any
	switch {
	case form:
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("form body: %w", err)
		}
		o := make(map[string]any, len(v))
		for k, vs := range v {
			o[k] = vs[0]
		}
		objs = append(objs, o)
	default:
		d := json.NewDecoder(bytes.NewReader(body))
		d.UseNumber()
		var top any
		if err := d.Decode(&top); err != nil {
			return nil, fmt.Errorf("body is not JSON: %w", err)
		}
		if d.More() {
			return nil, errors.New("body holds more than one JSON value")
		}
		switch t := top.(type) {
		case map[string]any:
			objs = append(objs, t)
		case []any:
			if len(t) == 0 || len(t) > MaxEventsPerRequest {
				return nil, fmt.Errorf("a batch holds 1 to %d events, not %d", MaxEventsPerRequest, len(t))
			}
			for i, e := range t {
				o, ok := e.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("event %d is not a JSON object", i+1)
				}
				objs = append(objs, o)
			}
		default:
			return nil, errors.New("body must be a JSON object or an array of objects")
		}
	}
	loc, err := loadZone(m.TimeZone)
	if err != nil {
		return nil, err
	}
	out := make([]channels.Call, 0, len(objs))
	for i, o := range objs {
		c, err := m.event(line, o, loc)
		if err != nil {
			if len(objs) > 1 {
				return nil, fmt.Errorf("event %d: %w", i+1, err)
			}
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (m *Mapping) event(line Line, o map[string]any, loc *time.Location) (channels.Call, error) {
	get := func(f string) string {
		path, ok := m.Fields[f]
		if !ok {
			return ""
		}
		return strings.TrimSpace(lookup(o, path))
	}
	c := channels.Call{Line: line.Name, Source: "webhook"}
	c.CallID = get(FieldCallID)
	if err := checkText(FieldCallID, c.CallID, maxCallIDBytes, true); err != nil {
		return c, err
	}
	raw := get(FieldState)
	if c.State = m.States[raw]; c.State == "" {
		return c, fmt.Errorf("state %q is not mapped; add it to the line's mapping.states", clip(raw))
	}
	c.Direction = "in"
	if raw := get(FieldDirection); raw != "" {
		if c.Direction = m.Directions[raw]; c.Direction == "" {
			return c, fmt.Errorf("direction %q is not mapped; add it to the line's mapping.directions", clip(raw))
		}
	}
	caller, callee := get(FieldCaller), get(FieldCallee)
	if c.Direction == "out" {
		caller, callee = callee, caller
	}
	// A withheld or unusable customer number leaves Customer empty; the
	// desk then keeps the call on a contact of its own.
	c.Customer, _ = Normalize(caller, line.Region)
	c.Ours, _ = Normalize(callee, line.Region)
	c.Agent, c.Queue, c.Disposition = get(FieldAgent), get(FieldQueue), get(FieldDisposition)
	c.RecordingURL = get(FieldRecordingURL)
	for _, f := range []struct {
		name, v string
		max     int
	}{{FieldAgent, c.Agent, maxShortBytes}, {FieldQueue, c.Queue, maxShortBytes},
		{FieldDisposition, c.Disposition, maxShortBytes}, {FieldRecordingURL, c.RecordingURL, maxURLBytes}} {
		if err := checkText(f.name, f.v, f.max, false); err != nil {
			return c, err
		}
	}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{FieldAt, &c.At}, {FieldStartedAt, &c.StartedAt}, {FieldAnsweredAt, &c.AnsweredAt}, {FieldEndedAt, &c.EndedAt}} {
		v, err := ParseTime(get(t.name), loc)
		if err != nil {
			return c, fmt.Errorf("%s: %w", t.name, err)
		}
		*t.dst = v
	}
	if s := get(FieldTalkSeconds); s != "" {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || n < 0 || n > 7*24*3600 {
			return c, fmt.Errorf("talk_seconds %q: give seconds between 0 and a week", clip(s))
		}
		c.Talk = time.Duration(n * float64(time.Second)).Round(time.Second)
	}
	return c, nil
}

// lookup follows a dotted path through nested objects; a missing step or
// a value that is itself an object or array reads as empty.
func lookup(o map[string]any, path string) string {
	var v any = o
	for part := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		if v, ok = m[part]; !ok {
			return ""
		}
	}
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// ParseTime reads the time forms platforms write: unix seconds or
// milliseconds (as a number or digits), RFC 3339, or a local
// "2006-01-02 15:04:05" in loc. Empty is the zero time.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	if s == "" || s == "0" {
		return time.Time{}, nil
	}
	var t time.Time
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e11 {
			t = time.UnixMilli(n)
		} else {
			t = time.Unix(n, 0)
		}
	} else {
		var perr error
		for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006/01/02 15:04:05", "2006-01-02 15:04:05.000"} {
			if t, perr = time.ParseInLocation(layout, s, loc); perr == nil {
				break
			}
		}
		if perr != nil {
			if t, perr = time.Parse(time.RFC3339, s); perr != nil {
				return time.Time{}, fmt.Errorf("time %q: use unix seconds or milliseconds, RFC 3339 or 2006-01-02 15:04:05", clip(s))
			}
		}
	}
	if y := t.Year(); y < 2000 || y > 2100 {
		return time.Time{}, fmt.Errorf("time %q is not between the years 2000 and 2100", clip(s))
	}
	return t.UTC(), nil
}

func checkText(name, v string, max int, required bool) error {
	switch {
	case v == "" && required:
		return fmt.Errorf("%s is missing", name)
	case len(v) > max:
		return fmt.Errorf("%s: at most %d bytes", name, max)
	case !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fmt.Errorf("%s: must be UTF-8 text without control characters", name)
	}
	return nil
}

// clip keeps a quoted bad value short in an error.
func clip(s string) string {
	if len(s) <= 40 {
		return strings.ToValidUTF8(s, "?")
	}
	return strings.ToValidUTF8(s[:40], "?") + "…"
}

var zones sync.Map

func loadZone(name string) (*time.Location, error) {
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, l)
	return l, nil
}
