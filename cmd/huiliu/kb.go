package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"huiliu/channels/telegram"
	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/kb"
	"huiliu/kb/help"
)

// kbIndexDir is where a serving node keeps its knowledge-base index.
func kbIndexDir(cfg Config) string { return filepath.Join(cfg.Data, "kb.bleve") }

// openKB opens the knowledge base over the app's store and bus. Serving
// nodes keep the index in the data directory; commands (import, export,
// demo) use one in memory, so they never wait on a running node's index,
// and nodes learn of their changes from the bus or, without Redis, from
// the generation check of kb.Service.Run.
func (a *app) openKB(ctx context.Context, persistent bool) (*kb.Service, error) {
	dir := ""
	if persistent {
		dir = kbIndexDir(a.cfg)
	}
	s, err := kb.Open(ctx, kb.Options{Store: a.db, Bus: a.queue.Bus(), IndexDir: dir, Logger: a.log})
	if err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	return s, nil
}

const kbUsage = "usage: huiliu kb import DIR | huiliu kb export DIR [flags]"

func runKB(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 || (args[0] != "import" && args[0] != "export") || strings.HasPrefix(args[1], "-") {
		return usagef(kbUsage)
	}
	verb, dir := args[0], args[1]
	cfg, err := adminFlags("kb "+verb, args[2:], stderr, func(*flag.FlagSet) {})
	if err != nil {
		return err
	}
	if verb == "import" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return usagef("%s is not a directory", dir)
		}
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		s, err := a.openKB(ctx, false)
		if err != nil {
			return err
		}
		defer s.Close()
		if verb == "export" {
			n, err := s.Export(ctx, dir)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "exported %d articles to %s\n", n, dir)
			return nil
		}
		rep, err := s.Import(ctx, desk.SystemActor("import"), os.DirFS(dir))
		printImport(stdout, rep)
		if err != nil {
			return err
		}
		if len(rep.Failed) > 0 {
			return fmt.Errorf("%d files failed", len(rep.Failed))
		}
		return nil
	})
}

// printImport prints the summary line, then the files by outcome.
func printImport(w io.Writer, rep kb.ImportReport) {
	fmt.Fprintln(w, rep.Summary())
	for _, l := range []struct {
		what  string
		files []string
	}{{"created", rep.Created}, {"updated", rep.Updated}} {
		for _, f := range l.files {
			fmt.Fprintf(w, "  %s %s\n", l.what, f)
		}
	}
	var failed []string
	for f := range rep.Failed {
		failed = append(failed, f)
	}
	sort.Strings(failed)
	for _, f := range failed {
		fmt.Fprintf(w, "  failed %s: %s\n", f, rep.Failed[f])
	}
}

// loadDemoKB imports the demo help centre (idempotent: a second run
// reports every article unchanged).
func loadDemoKB(ctx context.Context, a *app, stdout io.Writer) error {
	s, err := a.openKB(ctx, false)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.Import(ctx, desk.SystemActor("demo"), kb.Demo())
	if err != nil {
		return fmt.Errorf("demo help centre: %w", err)
	}
	if len(rep.Failed) > 0 {
		return fmt.Errorf("demo help centre: %d articles failed: %v", len(rep.Failed), rep.Failed)
	}
	fmt.Fprintf(stdout, "help centre: %s; see /help\n", rep.Summary())
	return nil
}

// helpMounts serve the public help centre on the desk's listener.
func (a *app) helpMounts() []web.Mount {
	h := help.New(help.Options{KB: a.kb, Limiter: a.queue.Limiter(), TrustProxy: a.cfg.TrustProxy,
		PublicURL: a.cfg.PublicURL, Logger: a.log,
		Agent: func(r *http.Request) bool { _, ok := web.Identify(r); return ok }})
	var out []web.Mount
	for _, p := range help.Paths {
		out = append(out, web.Mount{Method: http.MethodGet, Path: p, Handler: h}, web.Mount{Method: http.MethodPost, Path: p, Handler: h})
	}
	return out
}

// helpSearch answers Telegram's /help with public articles and their
// absolute help-centre addresses.
func (a *app) helpSearch(ctx context.Context, query, lang string) ([]telegram.HelpArticle, error) {
	if a.kb == nil {
		return nil, errors.New("the knowledge base is not open")
	}
	hits, err := a.kb.Suggest(ctx, query, lang, kb.AudiencePublic, telegram.HelpMax)
	if err != nil {
		return nil, err
	}
	base := deskOrigin(a.cfg)
	out := make([]telegram.HelpArticle, 0, len(hits))
	for _, h := range hits {
		out = append(out, telegram.HelpArticle{Title: h.Article.Title,
			URL: base + "/help/a/" + h.Article.ID + "?lang=" + h.Article.Locale})
	}
	return out, nil
}
