package phone

import (
	"strings"
	"testing"
	"time"

	"huiliu/channels"
)

func TestPresetsDecode(t *testing.T) {
	cases := []struct {
		preset, body string
		want         channels.Call
	}{
		{"generic", `{"call_id":"g1","direction":"outbound","caller":"4008001234","callee":"+86 139 0000 0001","agent":"E1024","state":"ended","answered_at":"2026-12-03T09:00:00+08:00","ended_at":1796259780,"talk_seconds":180,"recording_url":"https://rec.example.com/g1.mp3","disposition":"resolved"}`,
			channels.Call{CallID: "g1", Direction: "out", Customer: "+8613900000001", Ours: "+864008001234", Agent: "E1024", State: channels.CallEnded,
				AnsweredAt: time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC), EndedAt: time.Unix(1796259780, 0).UTC(), Talk: 3 * time.Minute,
				RecordingURL: "https://rec.example.com/g1.mp3", Disposition: "resolved"}},
		{"cloud-a", `{"callId":"A-1","callType":1,"callerNumber":"13800138000","calledNumber":"02161234567","agentNo":"801","status":2,"eventTime":"2026-12-03 09:00:05","skillGroup":"催收一组"}`,
			channels.Call{CallID: "A-1", Direction: "in", Customer: "+8613800138000", Ours: "+862161234567", Agent: "801", State: channels.CallAnswered,
				At: time.Date(2026, 12, 3, 1, 0, 5, 0, time.UTC), Queue: "催收一组"}},
		{"cloud-b", `{"event":"CALL_VOICEMAIL","timestamp":1796259600000,"data":{"session_id":"s-9","direction":"callin","from":"0755-86001234","to":"4008001234","seat":{"work_no":"E1024"},"record":{"url":"https://rec.example.com/vm.wav"}}}`,
			channels.Call{CallID: "s-9", Direction: "in", Customer: "+8675586001234", Ours: "+864008001234", Agent: "E1024", State: channels.CallVoicemail,
				At: time.UnixMilli(1796259600000).UTC(), RecordingURL: "https://rec.example.com/vm.wav"}},
	}
	for _, c := range cases {
		l := testLine(t, c.preset)
		got, err := l.Mapping.Decode(l, []byte(c.body), false)
		if err != nil {
			t.Fatalf("%s: %v", c.preset, err)
		}
		c.want.Line, c.want.Source = "hotline", "webhook"
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.preset, got, c.want)
		}
	}
}

func TestMappingOverridesAndBatch(t *testing.T) {
	l := Line{Name: "collect", Secret: testSecret, Mapping: Mapping{Preset: "cloud-a",
		Fields: map[string]string{"call_id": "id"}, States: map[string]string{"9": "missed"}}}
	if err := l.Prepare(); err != nil {
		t.Fatal(err)
	}
	got, err := l.Mapping.Decode(l, []byte(`[{"id":"x1","status":9,"callerNumber":"13800138000"},{"id":"x2","status":1,"callerNumber":"13800138000"}]`), false)
	if err != nil || len(got) != 2 || got[0].State != channels.CallMissed || got[1].CallID != "x2" {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := l.Mapping.Decode(l, []byte(`[{"id":"x1","status":9},{"status":1}]`), false); err == nil || !strings.Contains(err.Error(), "event 2") {
		t.Errorf("a bad event in a batch: %v", err)
	}
	for _, bad := range []Mapping{{Preset: "cloud-z"}, {Fields: map[string]string{"colour": "x"}}, {States: map[string]string{"x": "lost"}},
		{Directions: map[string]string{"x": "sideways"}}, {TimeZone: "Mars/Olympus"}} {
		l := Line{Name: "x", Secret: testSecret, Mapping: bad}
		if err := l.Prepare(); err == nil {
			t.Errorf("mapping %+v accepted", bad)
		}
	}
	for _, bad := range []Line{{Name: "Bad Name", Secret: testSecret}, {Name: "x", Secret: "short"}, {Name: "x"},
		{Name: "x", Secret: testSecret, RecordingHosts: []string{"http://x"}}, {Name: "x", Secret: testSecret, ClickToCallURL: "ftp://x"}} {
		if err := bad.Prepare(); err == nil {
			t.Errorf("line %+v accepted", bad)
		}
	}
}

func TestRecordingAllowed(t *testing.T) {
	l := testLine(t, "")
	for u, want := range map[string]bool{
		"https://rec.example.com/a.mp3":        true,
		"http://REC.example.com:8080/a.mp3":    true,
		"https://rec.example.com.evil.test/a":  false,
		"https://evil.test/?u=rec.example.com": false,
		"https://user@rec.example.com/a":       false,
		"file:///etc/passwd":                   false,
		"https://127.0.0.1/a.mp3":              false,
		"//rec.example.com/a.mp3":              false,
	} {
		if got := l.RecordingAllowed(u); got != want {
			t.Errorf("RecordingAllowed(%q) = %v", u, got)
		}
	}
}
