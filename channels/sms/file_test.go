package sms

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

func TestFileSenderAppendsJSONLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sms.jsonl")
	f := NewFileSender(path)
	ctx := context.Background()
	if _, err := f.Send(ctx, Message{To: "13800138000", Template: "SMS_1", Params: map[string]string{"code": "111111"}, Text: "您的验证码 111111"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Send(ctx, Message{To: "13900139000", Text: "code 222222"}); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var recs []map[string]any
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 2 {
		t.Fatalf("%d lines, want 2", len(recs))
	}
	for _, k := range []string{"at", "to", "text", "template", "params"} {
		if _, ok := recs[0][k]; !ok {
			t.Errorf("first line lacks %q: %v", k, recs[0])
		}
	}
	if recs[1]["to"] != "13900139000" {
		t.Errorf("second line = %v", recs[1])
	}
}

func TestFileSenderConcurrentLinesStayWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sms.jsonl")
	a, b := NewFileSender(path), NewFileSender(path) // two senders, one file
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a
			if i%2 == 1 {
				s = b
			}
			if _, err := s.Send(context.Background(), Message{To: fmt.Sprint("1380000", i), Text: fmt.Sprintf("code %06d", i)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i := range 40 {
		code, err := LatestCode(path, fmt.Sprint("1380000", i))
		if err != nil || code != fmt.Sprintf("%06d", i) {
			t.Errorf("number %d: code %q, %v", i, code, err)
		}
	}
}

func TestLatestCode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sms.jsonl")
	if _, err := LatestCode(path, "13800138000"); !errors.Is(err, ErrNoCode) {
		t.Fatalf("missing file: %v, want ErrNoCode", err)
	}
	f := NewFileSender(path)
	ctx := context.Background()
	send := func(m Message) {
		t.Helper()
		if _, err := f.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	send(Message{To: "13800138000", Text: "验证码 111111，5 分钟内有效"})
	send(Message{To: "13900139000", Text: "验证码 999999"})
	// A torn line from a crash must not hide later codes.
	fh, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	fh.WriteString(`{"to":"13800138000","te` + "\n")
	fh.Close()
	send(Message{To: "13800138000", Params: map[string]string{"code": "222222"}, Text: "验证码 222222"})

	if code, err := LatestCode(path, "13800138000"); err != nil || code != "222222" {
		t.Errorf("latest = %q, %v; want 222222", code, err)
	}
	if code, err := LatestCode(path, "13900139000"); err != nil || code != "999999" {
		t.Errorf("other number = %q, %v; want 999999", code, err)
	}
	if _, err := LatestCode(path, "13700137000"); !errors.Is(err, ErrNoCode) {
		t.Errorf("unknown number: %v, want ErrNoCode", err)
	}
}

func TestFileSenderRefusesEmptyRecipient(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sms.jsonl")
	if _, err := NewFileSender(path).Send(context.Background(), Message{Text: "x"}); err == nil {
		t.Fatal("sent an SMS without a recipient")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("file written for a refused message: %v", err)
	}
}

func FuzzLatestCode(f *testing.F) {
	f.Add([]byte(`{"to":"1","text":"code 123456"}` + "\n"))
	f.Add([]byte(`{"to":"1","params":{"code":"42"}}` + "\n" + `{"to":1}` + "\n\x00\xff"))
	f.Add([]byte("not json\n{\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "sms.jsonl")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		code, err := LatestCode(path, "1")
		if err == nil && code == "" {
			t.Fatal("empty code without error")
		}
	})
}
