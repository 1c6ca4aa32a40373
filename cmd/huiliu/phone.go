package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"huiliu/channels"
	"huiliu/channels/phone"
	"huiliu/desk"
	"huiliu/desk/web"
)

// phoneLines are the configured [[phone_line]] tables, validated, with
// their secret files read and mapping presets resolved.
func (c Config) phoneLines() ([]phone.Line, error) {
	var out []phone.Line
	var errs []error
	seen := map[string]bool{}
	for i, l := range c.PhoneLines {
		// Prepare fills the maps it is given; keep the configuration's own.
		l.Mapping.Fields, l.Mapping.States, l.Mapping.Directions = maps.Clone(l.Mapping.Fields), maps.Clone(l.Mapping.States), maps.Clone(l.Mapping.Directions)
		l.RecordingHosts = append([]string(nil), l.RecordingHosts...)
		if err := l.Prepare(); err != nil {
			errs = append(errs, fmt.Errorf("phone_line #%d: %w", i+1, err))
			continue
		}
		if seen[l.Name] {
			errs = append(errs, fmt.Errorf("phone line %q is configured twice", l.Name))
		}
		seen[l.Name] = true
		out = append(out, l)
	}
	return out, errors.Join(errs...)
}

// callbackWithin is each line's callback time for desk.Options.
func (c Config) callbackWithin() map[string]time.Duration {
	lines, _ := c.phoneLines() // validated at load
	out := map[string]time.Duration{}
	for _, l := range lines {
		out[l.Name] = l.Callback
	}
	return out
}

// callImports is the admins' upload of call records; nil without lines.
func (a *app) callImports() web.CallImporter {
	lines, _ := a.cfg.phoneLines() // validated at load
	if len(lines) == 0 {
		return nil
	}
	return cdrImporter{lines: lines, svc: a.svc}
}

// dialer is click-to-call through the lines that offer it; nil when none
// does, so the desk shows no dial buttons.
func (c Config) dialer() desk.Dialer {
	lines, _ := c.phoneLines() // validated at load
	for _, l := range lines {
		if l.ClickToCallURL != "" {
			return phone.NewDialer(lines, nil)
		}
	}
	return nil
}

// maskedPhoneLines hides the lines' secrets for --print-config.
func maskedPhoneLines(in []phone.Line) []phone.Line {
	var out []phone.Line
	for _, l := range in {
		l.Secret = maskSecret(l.Secret)
		if l.ClickToCallSecret != "" {
			l.ClickToCallSecret = maskSecret(l.ClickToCallSecret)
		}
		out = append(out, l)
	}
	return out
}

// phoneSink hands call events to the desk, marking what the desk refuses
// as permanent so the webhook answers 400 rather than inviting retries.
type phoneSink struct{ svc *desk.Service }

func (p phoneSink) RecordCall(ctx context.Context, c channels.Call) (channels.CallReceipt, error) {
	rc, err := p.svc.RecordCall(ctx, c)
	if desk.CodeOf(err) == desk.CodeInvalid {
		return rc, channels.Permanent(err)
	}
	return rc, err
}

// phoneMounts serves each line's webhook.
func (a *app) phoneMounts() ([]web.Mount, error) {
	lines, err := a.cfg.phoneLines()
	if err != nil {
		return nil, err
	}
	var out []web.Mount
	for _, l := range lines {
		out = append(out, web.Mount{Method: http.MethodPost, Path: phone.EventsPath(l.Name),
			Handler: phone.Handler(l, phoneSink{a.svc}, time.Now, a.log)})
	}
	return out, nil
}

// phoneRecordings is the recording proxy's fetcher and link key; none
// without lines.
func (a *app) phoneRecordings(ctx context.Context) (web.RecordingFetcher, []byte, error) {
	lines, err := a.cfg.phoneLines()
	if err != nil || len(lines) == 0 {
		return nil, nil, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, nil, err
	}
	key, err := a.db.ServerKey(ctx, "phone_recordings", fresh)
	if err != nil {
		return nil, nil, fmt.Errorf("recording link key: %w", err)
	}
	return phone.NewRecordings(lines, false), key, nil
}

// runPhone is `huiliu phone import --line NAME [--format F] FILE.csv` and
// `huiliu phone extension --agent EMAIL EXT`.
func runPhone(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	const use = "usage: huiliu phone import --line NAME [--format asterisk|freeswitch|generic] FILE.csv | phone extension --agent EMAIL EXT"
	if len(args) == 0 || (args[0] != "import" && args[0] != "extension") {
		return usagef(use)
	}
	fs := flag.NewFlagSet("phone "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addConfigFlags(fs)
	lineName := fs.String("line", "", "the [[phone_line]] the records belong to")
	format := fs.String("format", "", "asterisk, freeswitch or generic (default: asterisk for Master.csv, else generic)")
	agentEmail := fs.String("agent", "", "the agent's email")
	rest := args[1:]
	var arg string
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		arg, rest = rest[0], rest[1:]
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if arg == "" && fs.NArg() == 1 {
		arg = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usagef("unexpected argument %q; %s", fs.Arg(0), use)
	}
	cfg, err := cf.load(fs)
	if err != nil {
		return usagef("%v", err)
	}
	if args[0] == "extension" {
		if *agentEmail == "" {
			return usagef(use)
		}
		return withApp(ctx, cfg, stderr, func(a *app) error {
			ag, err := a.db.AgentByEmail(ctx, *agentEmail)
			if err != nil {
				return userError(fmt.Errorf("agent %s: %w", *agentEmail, err))
			}
			if err := a.svc.SetAgentExtension(ctx, desk.Actor{}, ag.ID, arg); err != nil {
				return userError(err)
			}
			fmt.Fprintf(stdout, "agent %s: extension %q\n", *agentEmail, arg)
			return nil
		})
	}
	if arg == "" || *lineName == "" {
		return usagef(use)
	}
	lines, err := cfg.phoneLines()
	if err != nil {
		return usagef("%v", err)
	}
	if !slices.ContainsFunc(lines, func(l phone.Line) bool { return l.Name == *lineName }) {
		return usagef("no [[phone_line]] named %q in the configuration", *lineName)
	}
	if *format == "" {
		*format = phone.FormatGeneric
		if strings.EqualFold(filepath.Base(arg), "Master.csv") {
			*format = phone.FormatAsterisk
		}
	}
	f, err := os.Open(arg)
	if err != nil {
		return err
	}
	defer f.Close()
	return withApp(ctx, cfg, stderr, func(a *app) error {
		sum, err := cdrImporter{lines: lines, svc: a.svc}.Import(ctx, desk.Actor{}, *lineName, *format, f)
		if err != nil {
			return userError(fmt.Errorf("%s: %w", arg, err))
		}
		fmt.Fprintf(stdout, "%s: %d imported, %d unchanged, %d bad\n", arg, sum.Imported, sum.Unchanged, len(sum.Bad))
		for _, b := range sum.Bad {
			fmt.Fprintf(stdout, "  line %d: %s\n", b.Line, b.Error)
		}
		return nil
	})
}

// cdrImporter imports call-detail records for `huiliu phone import` and
// the admins' upload (web.CallImporter): one code for both.
type cdrImporter struct {
	lines []phone.Line
	svc   *desk.Service
}

func (c cdrImporter) Lines() []string {
	out := make([]string, len(c.lines))
	for i, l := range c.lines {
		out[i] = l.Name
	}
	return out
}

// Import reads r in format with line's mapping and stores its records;
// an unknown line or format, or a file that cannot be read at all, is an
// invalid request.
func (c cdrImporter) Import(ctx context.Context, actor desk.Actor, line, format string, r io.Reader) (desk.CallImportSummary, error) {
	i := slices.IndexFunc(c.lines, func(l phone.Line) bool { return l.Name == line })
	if i < 0 {
		return desk.CallImportSummary{}, desk.Errorf(desk.CodeInvalid, "no phone line named %q", line).Say("err.phone.unknown_line", "line", line)
	}
	recs, probs, err := phone.ReadCDR(r, format, c.lines[i])
	if err != nil {
		return desk.CallImportSummary{}, desk.Wrap(desk.CodeInvalid, err, err.Error()).Say("err.phone.bad_file", "reason", err.Error())
	}
	calls := make([]channels.Call, len(recs))
	at := make([]int, len(recs))
	for i, r := range recs {
		calls[i], at[i] = r.Call, r.Line
	}
	bad := make([]desk.ImportProblem, len(probs))
	for i, p := range probs {
		bad[i] = desk.ImportProblem{Line: p.Line, Error: p.Err}
	}
	return c.svc.ImportCalls(ctx, actor, calls, at, bad)
}
