package kb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"huiliu/desk"
)

// A folder of articles is one Markdown file per article with a YAML front
// matter, plus an optional categories.yaml:
//
//	---
//	id: deposit-refund
//	title: 押金什么时候退？
//	locale: zh-CN
//	tags: [押金, 退款]
//	category: deposit
//	translation_of: ""          # the id of the article this one translates
//	visibility: public           # or internal
//	summary: 一句话说明
//	---
//	Markdown body…

// CategoriesFile is the name of a folder's category list.
const CategoriesFile = "categories.yaml"

// MaxFile bounds one article file.
const MaxFile = MaxBody + 16<<10

type frontMatter struct {
	ID            string   `yaml:"id"`
	Title         string   `yaml:"title"`
	Locale        string   `yaml:"locale"`
	Tags          []string `yaml:"tags,omitempty"`
	Category      string   `yaml:"category,omitempty"`
	TranslationOf string   `yaml:"translation_of,omitempty"`
	Visibility    string   `yaml:"visibility,omitempty"`
	Summary       string   `yaml:"summary,omitempty"`
	// Status is written by an export for people reading the files; an
	// import publishes what it reads.
	Status string `yaml:"status,omitempty"`
}

type categoryFile struct {
	ID       string            `yaml:"id"`
	Names    map[string]string `yaml:"names"`
	Position int               `yaml:"position,omitempty"`
}

// ParseFile reads one article file. The article's Group holds its
// translation_of ("" for an original).
func ParseFile(data []byte) (Article, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return Article{}, errors.New("no front matter (the file must start with a --- line)")
	}
	end := strings.Index(text[4:], "\n---")
	if end < 0 {
		return Article{}, errors.New("front matter not closed by a --- line")
	}
	head, body := text[4:4+end+1], text[4+end+4:]
	if i := strings.IndexByte(body, '\n'); i >= 0 && strings.TrimSpace(body[:i]) == "" {
		body = body[i+1:]
	} else if strings.TrimSpace(body) == "" {
		body = ""
	} else {
		return Article{}, errors.New("front matter not closed by a --- line")
	}
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil && !errors.Is(err, io.EOF) {
		return Article{}, fmt.Errorf("front matter: %w", err)
	}
	if fm.ID == "" {
		return Article{}, errors.New("front matter: id is missing")
	}
	if !validID(fm.ID) {
		return Article{}, fmt.Errorf("front matter: id %q: use 1 to 64 of a-z, 0-9, - and _", fm.ID)
	}
	return Article{
		ID: fm.ID, Group: fm.TranslationOf, Locale: fm.Locale, Title: fm.Title, Body: strings.TrimRight(body, "\n") + "\n",
		Summary: fm.Summary, Category: fm.Category, Tags: fm.Tags, Visibility: Visibility(fm.Visibility),
	}, nil
}

// FormatFile writes an article as ParseFile reads it.
func FormatFile(a Article) ([]byte, error) {
	fm := frontMatter{ID: a.ID, Title: a.Title, Locale: a.Locale, Tags: a.Tags, Category: a.Category,
		Visibility: string(a.Visibility), Summary: a.Summary, Status: string(a.Status)}
	if a.Group != a.ID {
		fm.TranslationOf = a.Group
	}
	head, err := yaml.Marshal(fm)
	if err != nil {
		return nil, fmt.Errorf("kb: front matter of %s: %w", a.ID, err)
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(head)
	b.WriteString("---\n")
	b.WriteString(strings.TrimRight(a.Body, "\n"))
	b.WriteString("\n")
	return b.Bytes(), nil
}

// ImportReport says what an import did, by file name.
type ImportReport struct {
	Created   []string
	Updated   []string
	Unchanged []string
	Failed    map[string]string // file → reason
}

// Summary is the one line a person reads.
func (r ImportReport) Summary() string {
	return fmt.Sprintf("created %d, updated %d, unchanged %d, failed %d",
		len(r.Created), len(r.Updated), len(r.Unchanged), len(r.Failed))
}

// Import reads every *.md file under fsys (and categories.yaml) and
// publishes each article by its id: a new id is created, a changed one
// updated as a new version, an equal one left alone, so importing a folder
// twice changes nothing. Originals are imported before their translations.
// A file that cannot be read or is invalid is reported and skipped.
func (s *Service) Import(ctx context.Context, actor desk.Actor, fsys fs.FS) (ImportReport, error) {
	rep := ImportReport{Failed: map[string]string{}}
	if err := canReview(actor); err != nil {
		return rep, err
	}
	if data, err := fs.ReadFile(fsys, CategoriesFile); err == nil {
		var cats []categoryFile
		if err := yaml.Unmarshal(data, &cats); err != nil {
			return rep, desk.Errorf(desk.CodeInvalid, "%s: %v", CategoriesFile, err)
		}
		for _, c := range cats {
			if err := s.SaveCategory(ctx, actor, Category(c)); err != nil {
				rep.Failed[CategoriesFile+" "+c.ID] = errText(err)
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return rep, fmt.Errorf("kb: read %s: %w", CategoriesFile, err)
	}
	type file struct {
		name string
		a    Article
	}
	var files []file
	seen := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			rep.Failed[p] = err.Error()
			return nil
		}
		if d.IsDir() || path.Ext(p) != ".md" {
			return nil
		}
		info, err := d.Info()
		if err == nil && info.Size() > MaxFile {
			rep.Failed[p] = fmt.Sprintf("larger than %d KiB", MaxFile>>10)
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			rep.Failed[p] = err.Error()
			return nil
		}
		a, err := ParseFile(data)
		if err != nil {
			rep.Failed[p] = err.Error()
			return nil
		}
		if other, dup := seen[a.ID]; dup {
			rep.Failed[p] = fmt.Sprintf("id %s is also in %s", a.ID, other)
			return nil
		}
		seen[a.ID] = p
		files = append(files, file{p, a})
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("kb: walk: %w", err)
	}
	sort.SliceStable(files, func(i, j int) bool {
		oi, oj := files[i].a.Group == "" || files[i].a.Group == files[i].a.ID, files[j].a.Group == "" || files[j].a.Group == files[j].a.ID
		if oi != oj {
			return oi
		}
		return files[i].name < files[j].name
	})
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		outcome, err := s.importOne(ctx, actor, f.a)
		switch {
		case err != nil:
			rep.Failed[f.name] = errText(err)
		case outcome == "created":
			rep.Created = append(rep.Created, f.name)
		case outcome == "updated":
			rep.Updated = append(rep.Updated, f.name)
		default:
			rep.Unchanged = append(rep.Unchanged, f.name)
		}
	}
	return rep, nil
}

func (s *Service) importOne(ctx context.Context, actor desk.Actor, in Article) (string, error) {
	if in.Group == in.ID {
		in.Group = ""
	}
	old, err := s.store.KBArticle(ctx, in.ID)
	exists := err == nil
	if err != nil && !errors.Is(err, desk.ErrNotFound) {
		return "", err
	}
	if exists {
		want := in
		if err := s.clean(ctx, &want); err != nil {
			return "", err
		}
		// translation_of is not compared: an existing article keeps its
		// group (save never moves it).
		if old.Status == Published && !old.PublishedAt.IsZero() && sameText(old, want) {
			return "unchanged", nil
		}
	}
	a, err := s.save(ctx, actor, in)
	if err != nil {
		return "", err
	}
	if _, err := s.publish(ctx, actor, a); err != nil {
		return "", err
	}
	if exists {
		return "updated", nil
	}
	return "created", nil
}

func sameText(a, b Article) bool {
	return a.Title == b.Title && a.Body == b.Body && a.Summary == b.Summary && a.Locale == b.Locale &&
		a.Category == b.Category && a.Visibility == b.Visibility && slices.Equal(a.Tags, b.Tags)
}

// Export writes every article's working copy to dir as <id>.md, and the
// categories to categories.yaml. It returns how many articles it wrote.
func (s *Service) Export(ctx context.Context, dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("kb: export: %w", err)
	}
	cats, err := s.store.KBCategories(ctx)
	if err != nil {
		return 0, err
	}
	if len(cats) > 0 {
		var out []categoryFile
		for _, c := range cats {
			out = append(out, categoryFile(c))
		}
		data, err := yaml.Marshal(out)
		if err != nil {
			return 0, fmt.Errorf("kb: export categories: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, CategoriesFile), data, 0o644); err != nil {
			return 0, fmt.Errorf("kb: export: %w", err)
		}
	}
	list, err := s.store.KBArticles(ctx, ListFilter{Limit: 1 << 30})
	if err != nil {
		return 0, err
	}
	for _, a := range list {
		data, err := FormatFile(a)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(dir, a.ID+".md"), data, 0o644); err != nil {
			return 0, fmt.Errorf("kb: export %s: %w", a.ID, err)
		}
	}
	return len(list), nil
}

// errText is the message a person should read for err.
func errText(err error) string {
	var e *desk.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
