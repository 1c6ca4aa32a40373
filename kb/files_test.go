package kb_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"huiliu/kb"
	"huiliu/store/storetest"
)

func TestImportExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := open(t, storetest.New(t), nil, "")
	rep, err := s.Import(ctx, system, kb.Demo())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) > 0 || len(rep.Created) < 40 {
		t.Fatalf("demo import: %s %v", rep.Summary(), rep.Failed)
	}
	rep, err = s.Import(ctx, system, kb.Demo())
	if err != nil || len(rep.Unchanged) != len(rep.Created)+len(rep.Unchanged) || len(rep.Unchanged) < 40 {
		t.Fatalf("second import: %s %v", rep.Summary(), err)
	}
	dir := t.TempDir()
	n, err := s.Export(ctx, dir)
	if err != nil || n < 40 {
		t.Fatalf("export: %d, %v", n, err)
	}
	// A fresh desk imports the export into the same articles.
	s2 := open(t, storetest.New(t), nil, "")
	rep, err = s2.Import(ctx, system, os.DirFS(dir))
	if err != nil || len(rep.Created) != n || len(rep.Failed) > 0 {
		t.Fatalf("import of the export: %s %v %v", rep.Summary(), rep.Failed, err)
	}
	for _, id := range []string{"deposit-refund", "deposit-refund-en", "internal-hardship-script"} {
		a, _ := s.Get(ctx, id)
		b, err := s2.Get(ctx, id)
		if err != nil || a.Title != b.Title || a.Body != b.Body || a.Group != b.Group || a.Visibility != b.Visibility ||
			a.Category != b.Category || !slices.Equal(a.Tags, b.Tags) || a.Summary != b.Summary {
			t.Errorf("%s differs after the round trip:\n%+v\n%+v (%v)", id, a, b, err)
		}
	}
	// Editing one file updates only that article, as a new version.
	path := filepath.Join(dir, "invoice.md")
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), "1 个工作日内", "24 小时内", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = s2.Import(ctx, system, os.DirFS(dir))
	if err != nil || !slices.Equal(rep.Updated, []string{"invoice.md"}) || len(rep.Created) != 0 {
		t.Fatalf("after one edit: %s updated=%v", rep.Summary(), rep.Updated)
	}
	if vs, _ := s2.Versions(ctx, "invoice"); len(vs) != 2 {
		t.Errorf("invoice has %d versions, want 2", len(vs))
	}
}

func TestImportReportsBadFiles(t *testing.T) {
	ctx := context.Background()
	s := open(t, storetest.New(t), nil, "")
	rep, err := s.Import(ctx, system, fstest.MapFS{
		"ok.md":          {Data: []byte("---\nid: ok\ntitle: 好\nlocale: zh-CN\n---\n正文\n")},
		"nofront.md":     {Data: []byte("# title\n")},
		"unclosed.md":    {Data: []byte("---\nid: x\ntitle: x\n")},
		"badid.md":       {Data: []byte("---\nid: Bad Id\ntitle: x\nlocale: zh-CN\n---\n")},
		"badlocale.md":   {Data: []byte("---\nid: bl\ntitle: x\nlocale: fr\n---\n")},
		"unknownkey.md":  {Data: []byte("---\nid: uk\ntitle: x\nlocale: zh-CN\ncolour: red\n---\n")},
		"orphan.md":      {Data: []byte("---\nid: orphan\ntitle: x\nlocale: en\ntranslation_of: missing\n---\n")},
		"dup.md":         {Data: []byte("---\nid: ok\ntitle: again\nlocale: en\n---\n")},
		"badcategory.md": {Data: []byte("---\nid: bc\ntitle: x\nlocale: zh-CN\ncategory: nope\n---\n")},
		"notes.txt":      {Data: []byte("ignored")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Created, []string{"dup.md"}) && !slices.Equal(rep.Created, []string{"ok.md"}) {
		t.Errorf("created = %v", rep.Created)
	}
	if len(rep.Failed) != 8 {
		t.Errorf("failed = %v, want 8 entries", rep.Failed)
	}
	for f, why := range rep.Failed {
		if why == "" {
			t.Errorf("%s failed without a reason", f)
		}
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte("---\nid: a\ntitle: t\nlocale: zh-CN\ntags: [x, y]\n---\nbody\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("\ufeff---\r\nid: a\r\n---\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := kb.ParseFile(data)
		if err != nil {
			return
		}
		out, err := kb.FormatFile(a)
		if err != nil {
			t.Fatalf("format: %v", err)
		}
		b, err := kb.ParseFile(out)
		if err != nil {
			t.Fatalf("reparse of %q: %v", out, err)
		}
		if a.ID != b.ID || a.Title != b.Title || a.Body != b.Body || a.Locale != b.Locale {
			t.Fatalf("round trip changed the article:\n%+v\n%+v", a, b)
		}
	})
}
