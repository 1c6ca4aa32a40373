package phone

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"huiliu/channels"
)

// Fields of a call event, named as the mapping's keys.
const (
	FieldCallID       = "call_id"
	FieldDirection    = "direction"
	FieldCaller       = "caller"
	FieldCallee       = "callee"
	FieldAgent        = "agent"
	FieldState        = "state"
	FieldAt           = "at"
	FieldStartedAt    = "started_at"
	FieldAnsweredAt   = "answered_at"
	FieldEndedAt      = "ended_at"
	FieldTalkSeconds  = "talk_seconds"
	FieldQueue        = "queue"
	FieldRecordingURL = "recording_url"
	FieldDisposition  = "disposition"
)

var allFields = []string{FieldCallID, FieldDirection, FieldCaller, FieldCallee, FieldAgent, FieldState,
	FieldAt, FieldStartedAt, FieldAnsweredAt, FieldEndedAt, FieldTalkSeconds, FieldQueue,
	FieldRecordingURL, FieldDisposition}

// Mapping says where a platform's callback body keeps each field (a
// dotted path into the JSON object, or a form field name) and how its
// state and direction values read. A preset fills what the line leaves
// out; Fields, States and Directions given in the configuration win.
type Mapping struct {
	// Preset is generic (the default), cloud-a or cloud-b (docs/phone.md).
	Preset string `toml:"preset"`
	// Fields maps a field (call_id, direction, caller, ...) to its path.
	Fields map[string]string `toml:"fields"`
	// States maps the platform's state values to ringing, answered,
	// ended, missed or voicemail.
	States map[string]string `toml:"states"`
	// Directions maps the platform's direction values to in or out.
	Directions map[string]string `toml:"directions"`
	// TimeZone reads times written without a zone ("2026-12-03
	// 09:30:00"); default Asia/Shanghai.
	TimeZone string `toml:"time_zone"`
}

// Presets are the mappings that ship; see docs/phone.md for the callback
// shapes they read.
var Presets = map[string]Mapping{
	// generic: Huiliu's own flat field names and values.
	"generic": {
		Fields: identityFields(),
		States: map[string]string{"ringing": channels.CallRinging, "answered": channels.CallAnswered,
			"ended": channels.CallEnded, "missed": channels.CallMissed, "voicemail": channels.CallVoicemail},
		Directions: map[string]string{"in": "in", "out": "out", "inbound": "in", "outbound": "out"},
	},
	// cloud-a: a flat camelCase body with numeric codes and local times,
	// the shape many hosted call centres post per state change.
	"cloud-a": {
		Fields: map[string]string{FieldCallID: "callId", FieldDirection: "callType", FieldCaller: "callerNumber",
			FieldCallee: "calledNumber", FieldAgent: "agentNo", FieldState: "status", FieldAt: "eventTime",
			FieldStartedAt: "startTime", FieldAnsweredAt: "answerTime", FieldEndedAt: "endTime",
			FieldTalkSeconds: "billSeconds", FieldQueue: "skillGroup", FieldRecordingURL: "recordUrl",
			FieldDisposition: "hangupReason"},
		States: map[string]string{"1": channels.CallRinging, "2": channels.CallAnswered, "3": channels.CallEnded,
			"4": channels.CallMissed, "5": channels.CallVoicemail},
		Directions: map[string]string{"1": "in", "2": "out"},
	},
	// cloud-b: an event name at the top and the call nested under data,
	// snake_case, unix milliseconds.
	"cloud-b": {
		Fields: map[string]string{FieldCallID: "data.session_id", FieldDirection: "data.direction",
			FieldCaller: "data.from", FieldCallee: "data.to", FieldAgent: "data.seat.work_no", FieldState: "event",
			FieldAt: "timestamp", FieldStartedAt: "data.start_ts", FieldAnsweredAt: "data.answer_ts",
			FieldEndedAt: "data.hangup_ts", FieldTalkSeconds: "data.talk_duration", FieldQueue: "data.queue_name",
			FieldRecordingURL: "data.record.url", FieldDisposition: "data.hangup_cause"},
		States: map[string]string{"CALL_RING": channels.CallRinging, "CALL_ANSWER": channels.CallAnswered,
			"CALL_HANGUP": channels.CallEnded, "CALL_LOST": channels.CallMissed, "CALL_VOICEMAIL": channels.CallVoicemail},
		Directions: map[string]string{"callin": "in", "callout": "out"},
	},
}

func identityFields() map[string]string {
	m := make(map[string]string, len(allFields))
	for _, f := range allFields {
		m[f] = f
	}
	return m
}

// prepare merges the preset under the line's own entries and checks them.
func (m *Mapping) prepare() error {
	if m.Preset == "" {
		m.Preset = "generic"
	}
	p, ok := Presets[m.Preset]
	if !ok {
		return fmt.Errorf("preset %q is unknown; use one of %s", m.Preset, strings.Join(slices.Sorted(maps.Keys(Presets)), ", "))
	}
	m.Fields = merged(p.Fields, m.Fields)
	m.States = merged(p.States, m.States)
	m.Directions = merged(p.Directions, m.Directions)
	for f, path := range m.Fields {
		if !slices.Contains(allFields, f) {
			return fmt.Errorf("fields: %q is not a field; use %s", f, strings.Join(allFields, ", "))
		}
		if path == "" || len(path) > 200 {
			return fmt.Errorf("fields.%s: give a path of at most 200 bytes", f)
		}
	}
	for _, need := range []string{FieldCallID, FieldState, FieldCaller} {
		if m.Fields[need] == "" {
			return fmt.Errorf("fields.%s is required", need)
		}
	}
	for k, v := range m.States {
		if channels.CallStateRank(v) == 0 {
			return fmt.Errorf("states.%s = %q: use ringing, answered, ended, missed or voicemail", k, v)
		}
	}
	for k, v := range m.Directions {
		if v != "in" && v != "out" {
			return fmt.Errorf("directions.%s = %q: use in or out", k, v)
		}
	}
	if m.TimeZone == "" {
		m.TimeZone = "Asia/Shanghai"
	}
	if _, err := loadZone(m.TimeZone); err != nil {
		return fmt.Errorf("time_zone %q: %w", m.TimeZone, err)
	}
	return nil
}

func merged(base, over map[string]string) map[string]string {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, over)
	return out
}
