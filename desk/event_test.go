package desk

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryEventConstantIsListed reads the package's source for Event*
// string constants, wherever they are declared, and wants each in
// eventTypes: a type missing there is refused by publish.
func TestEveryEventConstantIsListed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, id := range vs.Names {
				if !strings.HasPrefix(id.Name, "Event") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, _ := strconv.Unquote(lit.Value)
				found++
				if !eventTypes[v] {
					t.Errorf("%s: %s = %q is not in eventTypes", name, id.Name, v)
				}
			}
			return true
		})
	}
	if found != len(eventTypes) {
		t.Errorf("found %d Event* constants, eventTypes lists %d", found, len(eventTypes))
	}
}

type recordingBus struct{ types []string }

func (b *recordingBus) Publish(_ context.Context, _ string, data []byte) (int64, error) {
	var ev Event
	if err := json.Unmarshal(data, &ev); err != nil {
		return 0, err
	}
	b.types = append(b.types, ev.Type)
	return int64(len(b.types)), nil
}

func TestPublishRefusesUnlistedTypes(t *testing.T) {
	bus := &recordingBus{}
	s := NewService(Options{Events: bus})
	s.publish(context.Background(), Event{Type: EventSLABreached, TicketID: "t"})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("an unlisted type was published without a panic in tests")
			}
		}()
		s.publish(context.Background(), Event{Type: "sla.bogus", TicketID: "t"})
	}()
	if len(bus.types) != 1 || bus.types[0] != EventSLABreached {
		t.Errorf("published %v", bus.types)
	}
}
