package phone

import (
	"bytes"
	"testing"

	"huiliu/channels"
)

// FuzzDecode: no callback body crashes the decoder, and what it accepts
// is bounded and has a known state.
func FuzzDecode(f *testing.F) {
	f.Add(uint8(0), []byte(`{"call_id":"c1","state":"ringing","caller":"13800138000"}`))
	f.Add(uint8(1), []byte(`{"callId":"A-1","callType":1,"callerNumber":"13800138000","status":2,"eventTime":"2026-12-03 09:00:05"}`))
	f.Add(uint8(2), []byte(`{"event":"CALL_LOST","timestamp":1796259600000,"data":{"session_id":"s","from":"+86 10 6234 5678"}}`))
	f.Add(uint8(0), []byte(`[{"call_id":"c1","state":"ended","caller":"1","talk_seconds":"1e9"}]`))
	f.Add(uint8(3), []byte(`call_id=c1&state=missed&caller=0086138`))
	presets := []string{"generic", "cloud-a", "cloud-b", "generic"}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		p := presets[int(which)%len(presets)]
		l := testLine(t, p)
		calls, err := l.Mapping.Decode(l, body, which%4 == 3)
		if err != nil {
			return
		}
		if len(calls) == 0 || len(calls) > MaxEventsPerRequest {
			t.Fatalf("%d calls", len(calls))
		}
		for _, c := range calls {
			if c.CallID == "" || len(c.CallID) > maxCallIDBytes || channels.CallStateRank(c.State) == 0 || (c.Direction != "in" && c.Direction != "out") {
				t.Fatalf("accepted %+v", c)
			}
		}
	})
}

// FuzzReadCDR: no file crashes the importer; every row is either a call
// or a problem with a line number.
func FuzzReadCDR(f *testing.F) {
	f.Add(uint8(0), []byte(`"","13800138000","4008001234","c","","SIP/t-1","SIP/801-2","Dial","","2026-12-01 09:00:00","2026-12-01 09:00:07","2026-12-01 09:03:07",187,180,"ANSWERED","DOCUMENTATION","1.1",""`+"\n"))
	f.Add(uint8(1), []byte(`"","13900000001","4008001234","public","2026-12-01 10:05:00","","2026-12-01 10:05:20","20","0","NO_ANSWER","u2","","","PCMA","PCMA"`+"\n"))
	f.Add(uint8(2), []byte("call_id,state,caller,started_at\nG-1,missed,13800138000,2026-12-01 11:00:00\n\"bad\n"))
	formats := []string{FormatAsterisk, FormatFreeSWITCH, FormatGeneric}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		calls, bad, err := ReadCDR(bytes.NewReader(data), formats[int(which)%3], testLine(t, ""))
		if err != nil {
			return
		}
		for _, p := range bad {
			if p.Line <= 0 {
				t.Fatalf("problem without a line: %+v", p)
			}
		}
		for _, r := range calls {
			if c := r.Call; r.Line <= 0 || c.CallID == "" || channels.CallStateRank(c.State) != 3 {
				t.Fatalf("accepted %+v", c)
			}
		}
	})
}
