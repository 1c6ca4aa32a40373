package sla

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxRangeDays is the longest date range one schedule line may cover. Real
// holidays last at most about nine days; a longer range is almost certainly a
// typo in the year or month.
const MaxRangeDays = 60

// DayKind says what a schedule entry makes of its dates.
type DayKind int

const (
	// Holiday dates have no working time.
	Holiday DayKind = iota + 1
	// Workday dates are make-up workdays (调休), worked with MakeupHours.
	Workday
)

func (k DayKind) String() string {
	switch k {
	case Holiday:
		return "holiday"
	case Workday:
		return "workday"
	}
	return "DayKind(" + strconv.Itoa(int(k)) + ")"
}

// Entry is one line of a schedule: an inclusive date range and its name.
type Entry struct {
	Kind     DayKind
	From, To Date
	Name     string
	Line     int // line number in the parsed file; 0 if built in code
}

// Schedule is a set of holidays and make-up workdays, usually one year's
// official notice. Years lists the years the schedule declares complete:
// applying it first forgets everything the calendar knew about those years,
// so importing the official notice replaces a guess rather than merging
// with it.
type Schedule struct {
	Years   []int
	Entries []Entry
}

// ParseError locates a problem in a schedule file.
type ParseError struct {
	Line int
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *ParseError) Unwrap() error { return e.Err }

// maxLine caps a schedule line; a real one is well under 200 bytes.
const maxLine = 4096

// ParseSchedule reads the schedule format, one entry a line:
//
//	# 2026 mainland China          comment (also after an entry: " # ...")
//	year 2026                      this file is the complete schedule of 2026
//	holiday 2026-01-01 2026-01-03 元旦     inclusive range, then a name
//	holiday 2026-04-05 清明节              a single date
//	workday 2026-01-04 元旦调休            a make-up workday
//
// Keywords are case-insensitive; 休 and 班 (as on Chinese calendars) are
// accepted for holiday and workday. The token after the first date is the end
// of the range when it looks like a date (starts with four digits and a
// dash), otherwise the name begins there. Names are optional UTF-8 text.
// Blank lines are ignored and a UTF-8 byte order mark is skipped.
//
// Errors are *ParseError values naming the line: a bad date, a range ending
// before it starts or longer than MaxRangeDays, an unknown keyword, a date
// that is both a holiday and a workday, invalid UTF-8.
func ParseSchedule(r io.Reader) (Schedule, error) {
	var s Schedule
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxLine)
	seen := map[Date]Entry{}
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF")
		}
		if !utf8.ValidString(line) {
			return Schedule{}, schedErr(n, errors.New("not valid UTF-8 (save the file as UTF-8)"))
		}
		f := fields(line)
		if len(f) == 0 {
			continue
		}
		if strings.EqualFold(f[0], "year") {
			y, err := parseYear(f)
			if err != nil {
				return Schedule{}, schedErr(n, err)
			}
			if !slices.Contains(s.Years, y) {
				s.Years = append(s.Years, y)
			}
			continue
		}
		e, err := parseEntry(f)
		if err != nil {
			return Schedule{}, schedErr(n, err)
		}
		e.Line = n
		if err := addDays(seen, e); err != nil {
			return Schedule{}, schedErr(n, err)
		}
		s.Entries = append(s.Entries, e)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return Schedule{}, schedErr(n+1, fmt.Errorf("line longer than %d bytes", maxLine))
		}
		return Schedule{}, fmt.Errorf("sla: schedule: read: %w", err)
	}
	return s, nil
}

func schedErr(line int, err error) error {
	return fmt.Errorf("sla: schedule: %w", &ParseError{Line: line, Err: err})
}

// fields splits a line into tokens, dropping a comment: a token starting with
// '#' and everything after it.
func fields(line string) []string {
	f := strings.Fields(line)
	for i, t := range f {
		if strings.HasPrefix(t, "#") {
			return f[:i]
		}
	}
	return f
}

func parseYear(f []string) (int, error) {
	if len(f) != 2 {
		return 0, errors.New(`want "year YYYY"`)
	}
	y, err := strconv.Atoi(f[1])
	if err != nil || len(f[1]) != 4 || y < 1000 {
		return 0, fmt.Errorf("bad year %q (want four digits)", f[1])
	}
	return y, nil
}

func parseKind(k string) (DayKind, bool) {
	switch strings.ToLower(k) {
	case "holiday", "休":
		return Holiday, true
	case "workday", "班":
		return Workday, true
	}
	return 0, false
}

func parseEntry(f []string) (Entry, error) {
	kind, ok := parseKind(f[0])
	if !ok {
		return Entry{}, fmt.Errorf("unknown keyword %q (want holiday, workday or year)", f[0])
	}
	if len(f) < 2 {
		return Entry{}, fmt.Errorf("%s needs a date (YYYY-MM-DD)", kind)
	}
	from, err := ParseDate(f[1])
	if err != nil {
		return Entry{}, err
	}
	to, rest := from, f[2:]
	if len(rest) > 0 && looksLikeDate(rest[0]) {
		if to, err = ParseDate(rest[0]); err != nil {
			return Entry{}, err
		}
		rest = rest[1:]
	}
	e := Entry{Kind: kind, From: from, To: to, Name: strings.Join(rest, " ")}
	return e, e.check()
}

// looksLikeDate tells a range end from a name: "2026-01-03" (or a mistyped
// "2026-1-3") is meant as a date, "5.1劳动节" is a name.
func looksLikeDate(t string) bool {
	return len(t) >= 5 && digits(t[:4]) && t[4] == '-'
}

func (e Entry) check() error {
	if e.Kind != Holiday && e.Kind != Workday {
		return fmt.Errorf("unknown kind %v", e.Kind)
	}
	if !e.From.Valid() || !e.To.Valid() {
		return fmt.Errorf("bad date in range %v..%v", e.From, e.To)
	}
	days := e.From.DaysUntil(e.To)
	if days < 0 {
		return fmt.Errorf("range %s..%s ends before it starts", e.From, e.To)
	}
	if days+1 > MaxRangeDays {
		return fmt.Errorf("range %s..%s is %d days, longer than %d", e.From, e.To, days+1, MaxRangeDays)
	}
	// A name must survive a round trip through String and ParseSchedule.
	if strings.Join(fields(e.Name), " ") != e.Name || looksLikeDate(e.Name) {
		return fmt.Errorf("name %q must be single-spaced text, not start with a date or '#'", e.Name)
	}
	return nil
}

// addDays records e's dates in seen, refusing a date that another entry gave
// the other kind. Repeating a date with the same kind is harmless and allowed.
func addDays(seen map[Date]Entry, e Entry) error {
	for d := e.From; d.Compare(e.To) <= 0; d = d.AddDays(1) {
		if prev, ok := seen[d]; ok && prev.Kind != e.Kind {
			where := "another entry"
			if prev.Line > 0 {
				where = "line " + strconv.Itoa(prev.Line)
			}
			return fmt.Errorf("%s is a %s here but a %s on %s", d, e.Kind, prev.Kind, where)
		}
		seen[d] = e
	}
	return nil
}

// check validates a schedule built in code the way ParseSchedule validates a
// file.
func (s Schedule) check() (map[Date]Entry, error) {
	seen := map[Date]Entry{}
	for i, e := range s.Entries {
		if err := e.check(); err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		if err := addDays(seen, e); err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
	}
	return seen, nil
}

// Apply merges s into the calendar: first it drops the holidays and make-up
// days of every year in s.Years, then each listed date becomes a holiday or a
// make-up workday, replacing what the calendar said about it. Apply is all or
// nothing: on error the calendar is unchanged.
func (c *Calendar) Apply(s Schedule) error {
	seen, err := s.check()
	if err != nil {
		return fmt.Errorf("sla: calendar %q: apply schedule: %w", c.Name, err)
	}
	hol, work := maps.Clone(c.Holidays), maps.Clone(c.Workdays)
	if hol == nil {
		hol = map[Date]string{}
	}
	if work == nil {
		work = map[Date]string{}
	}
	for _, m := range []map[Date]string{hol, work} {
		maps.DeleteFunc(m, func(d Date, _ string) bool { return slices.Contains(s.Years, d.Year) })
	}
	for d, e := range seen {
		delete(hol, d)
		delete(work, d)
		if e.Kind == Holiday {
			hol[d] = e.Name
		} else {
			work[d] = e.Name
		}
	}
	next := *c
	next.Holidays, next.Workdays = hol, work
	if err := next.Validate(); err != nil {
		return fmt.Errorf("sla: apply schedule: %w", err)
	}
	c.Holidays, c.Workdays = hol, work
	for _, y := range s.Years {
		if !slices.Contains(c.Years, y) {
			c.Years = append(c.Years, y)
		}
	}
	slices.Sort(c.Years)
	return nil
}

// String renders s in the format ParseSchedule reads, always writing both
// ends of a range so a name cannot be mistaken for a date.
func (s Schedule) String() string {
	var b strings.Builder
	for _, y := range s.Years {
		fmt.Fprintf(&b, "year %d\n", y)
	}
	for _, e := range s.Entries {
		fmt.Fprintf(&b, "%s %s %s", e.Kind, e.From, e.To)
		if e.Name != "" {
			b.WriteString(" " + e.Name)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
