package phone

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"huiliu/channels"
)

// CDR formats ReadCDR knows.
const (
	// FormatAsterisk is Asterisk's cdr_csv Master.csv: no header, columns
	// accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
	// lastdata, start, answer, end, duration, billsec, disposition,
	// amaflags, uniqueid[, userfield].
	FormatAsterisk = "asterisk"
	// FormatFreeSWITCH is mod_cdr_csv's default template: no header,
	// columns caller_id_name, caller_id_number, destination_number,
	// context, start_stamp, answer_stamp, end_stamp, duration, billsec,
	// hangup_cause, uuid, bleg_uuid, accountcode[, read_codec, write_codec].
	FormatFreeSWITCH = "freeswitch"
	// FormatGeneric has a header row whose names the line's mapping reads
	// (by default call_id, direction, caller, callee, agent, state,
	// started_at, answered_at, ended_at, talk_seconds, queue,
	// recording_url, disposition).
	FormatGeneric = "generic"
)

// MaxCDRRows bounds one import; split larger files.
const MaxCDRRows = 200_000

// Problem is a row the import skipped, by its line in the file.
type Problem struct {
	Line int    `json:"line"`
	Err  string `json:"error"`
}

// Record is one good row: its line in the file and the call it says.
type Record struct {
	Line int
	Call channels.Call
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Err) }

// internalNumber: PBX extensions are short; anything longer is a
// customer's (or a trunk's) number.
var internalNumber = regexp.MustCompile(`^[0-9]{2,6}$`)

// channelPeer reads the extension out of an Asterisk channel name such as
// SIP/801-0000001a or PJSIP/801-00000003.
var channelPeer = regexp.MustCompile(`^[A-Za-z0-9]+/([0-9]{2,6})-`)

// ReadCDR reads call-detail records: every good row becomes one final
// call event (state ended, missed or voicemail); a bad row is reported
// with its line number and left out whole. An error is returned only for
// an unknown format, an unreadable header or too many rows.
func ReadCDR(r io.Reader, format string, line Line) ([]Record, []Problem, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	loc, err := loadZone(line.Mapping.TimeZone)
	if err != nil {
		return nil, nil, err
	}
	var header []string
	switch format {
	case FormatAsterisk, FormatFreeSWITCH:
	case FormatGeneric:
		if header, err = cr.Read(); err != nil {
			return nil, nil, fmt.Errorf("header row: %w", err)
		}
		for i := range header {
			header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
		}
	default:
		return nil, nil, fmt.Errorf("format %q is unknown; use asterisk, freeswitch or generic", format)
	}
	var calls []Record
	var bad []Problem
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if rows >= MaxCDRRows {
			return nil, nil, fmt.Errorf("more than %d rows; split the file", MaxCDRRows)
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, Problem{Line: pe.Line, Err: pe.Err.Error()})
				continue
			}
			return nil, nil, fmt.Errorf("read: %w", err)
		}
		n, _ := cr.FieldPos(0)
		var c channels.Call
		switch format {
		case FormatAsterisk:
			c, err = asteriskRow(rec, line, loc)
		case FormatFreeSWITCH:
			c, err = freeswitchRow(rec, line, loc)
		default:
			c, err = genericRow(header, rec, line, loc)
		}
		if err == nil && channels.CallStateRank(c.State) < 3 {
			err = errors.New("a record must describe a finished call (state ended, missed or voicemail)")
		}
		if err != nil {
			bad = append(bad, Problem{Line: n, Err: err.Error()})
			continue
		}
		c.Source = "import"
		calls = append(calls, Record{Line: n, Call: c})
	}
	return calls, bad, nil
}

func asteriskRow(rec []string, line Line, loc *time.Location) (channels.Call, error) {
	if len(rec) != 17 && len(rec) != 18 {
		return channels.Call{}, fmt.Errorf("%d columns; Master.csv rows have 17 or 18", len(rec))
	}
	src, dst, dstChannel, lastApp := rec[1], rec[2], rec[6], rec[7]
	c := channels.Call{Line: line.Name, CallID: strings.TrimSpace(rec[16]), Direction: "in", Disposition: rec[14]}
	if internalNumber.MatchString(src) {
		c.Direction, c.Agent = "out", src
		c.Customer, _ = Normalize(dst, line.Region)
	} else {
		c.Customer, _ = Normalize(src, line.Region)
		c.Ours, _ = Normalize(dst, line.Region)
		if m := channelPeer.FindStringSubmatch(dstChannel); m != nil {
			c.Agent = m[1]
		}
	}
	switch strings.ToUpper(strings.TrimSpace(rec[14])) {
	case "ANSWERED":
		c.State = channels.CallEnded
	case "NO ANSWER", "BUSY", "FAILED", "CONGESTION":
		c.State = channels.CallMissed
	default:
		return c, fmt.Errorf("disposition %q: expected ANSWERED, NO ANSWER, BUSY or FAILED", clip(rec[14]))
	}
	if strings.EqualFold(lastApp, "VoiceMail") {
		c.State = channels.CallVoicemail
	}
	return c, cdrCommon(&c, rec[9], rec[10], rec[11], rec[13], loc)
}

func freeswitchRow(rec []string, line Line, loc *time.Location) (channels.Call, error) {
	if len(rec) < 13 {
		return channels.Call{}, fmt.Errorf("%d columns; cdr_csv rows of the default template have at least 13", len(rec))
	}
	caller, dest := rec[1], rec[2]
	c := channels.Call{Line: line.Name, CallID: strings.TrimSpace(rec[10]), Direction: "in", Disposition: rec[9]}
	if internalNumber.MatchString(caller) {
		c.Direction, c.Agent = "out", caller
		c.Customer, _ = Normalize(dest, line.Region)
	} else {
		c.Customer, _ = Normalize(caller, line.Region)
		if internalNumber.MatchString(dest) {
			c.Agent = dest
		} else {
			c.Ours, _ = Normalize(dest, line.Region)
		}
	}
	c.State = channels.CallMissed
	if strings.TrimSpace(rec[5]) != "" {
		c.State = channels.CallEnded
	}
	return c, cdrCommon(&c, rec[4], rec[5], rec[6], rec[8], loc)
}

// cdrCommon reads the id, times and talk seconds both fixed formats share.
func cdrCommon(c *channels.Call, start, answer, end, billsec string, loc *time.Location) error {
	if err := checkText("call id", c.CallID, maxCallIDBytes, true); err != nil {
		return err
	}
	if err := checkText("disposition", c.Disposition, maxShortBytes, false); err != nil {
		return err
	}
	var err error
	for _, t := range []struct {
		name, v string
		dst     *time.Time
	}{{"start", start, &c.StartedAt}, {"answer", answer, &c.AnsweredAt}, {"end", end, &c.EndedAt}} {
		if *t.dst, err = ParseTime(strings.TrimSpace(t.v), loc); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	if c.StartedAt.IsZero() {
		return errors.New("start time is missing")
	}
	c.At = c.EndedAt
	if c.At.IsZero() {
		c.At = c.StartedAt
	}
	if s := strings.TrimSpace(billsec); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 7*24*3600 {
			return fmt.Errorf("billsec %q: give whole seconds up to a week", clip(s))
		}
		c.Talk = time.Duration(n) * time.Second
	}
	return nil
}

func genericRow(header, rec []string, line Line, loc *time.Location) (channels.Call, error) {
	if len(rec) != len(header) {
		return channels.Call{}, fmt.Errorf("%d columns; the header has %d", len(rec), len(header))
	}
	o := make(map[string]any, len(rec))
	for i, h := range header {
		o[h] = rec[i]
	}
	c, err := line.Mapping.event(line, o, loc)
	if err == nil && c.At.IsZero() {
		c.At = c.EndedAt
		if c.At.IsZero() {
			c.At = c.StartedAt
		}
	}
	return c, err
}
