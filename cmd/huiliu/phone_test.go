package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"huiliu/channels/api"
	"huiliu/store/storetest"
)

const phoneTestSecret = "phone-line-secret-0123456789"

func phoneEnv(t *testing.T) []string {
	t.Helper()
	cfg := storetest.Config(t)
	data := cfg.DataDir
	if data == "" {
		data = t.TempDir()
	}
	conf := filepath.Join(t.TempDir(), "huiliu.toml")
	body := "[[phone_line]]\nname = \"hotline\"\nsecret = \"" + phoneTestSecret + "\"\nrecording_hosts = [\"rec.example.com\"]\n" +
		"[phone_line.mapping]\npreset = \"cloud-a\"\n"
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"HUILIU_DATA=" + data, "DATABASE_URL=" + cfg.URL, "HUILIU_CONFIG=" + conf}
}

func postCallEvent(t *testing.T, base, body string) (int, string) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, base+"/channels/phone/hotline/events", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(api.HeaderTimestamp, ts)
	req.Header.Set(api.HeaderSignature, api.Sign(phoneTestSecret, ts, []byte(body)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestPhoneWebhookAndImportThroughTheServer: a line from the configuration
// takes signed callbacks in its preset's shape, a redelivery is a
// duplicate, an unsigned call is refused; the import command stores a
// Master.csv once and names its bad rows.
func TestPhoneWebhookAndImportThroughTheServer(t *testing.T) {
	env := phoneEnv(t)
	node := startNode(t, env)
	stopAtCleanup(t, node)
	ended := `{"callId":"E-1","callType":1,"callerNumber":"13800138000","calledNumber":"4008001234","status":3,"eventTime":"2026-12-03 10:05:00","answerTime":"2026-12-03 10:00:10","billSeconds":290}`
	ringing := `{"callId":"E-1","callType":1,"callerNumber":"13800138000","calledNumber":"4008001234","status":1,"eventTime":"2026-12-03 10:00:00"}`
	var first struct {
		Results []struct {
			TicketID  string `json:"ticket_id"`
			State     string `json:"state"`
			Duplicate bool   `json:"duplicate"`
		} `json:"results"`
	}
	for i, body := range []string{ended, ringing, ended} {
		code, out := postCallEvent(t, node.url, body)
		if code != http.StatusOK {
			t.Fatalf("event %d: %d %s", i+1, code, out)
		}
		if err := json.Unmarshal([]byte(out), &first); err != nil || len(first.Results) != 1 {
			t.Fatalf("event %d: %s", i+1, out)
		}
		if r := first.Results[0]; r.State != "ended" || r.Duplicate != (i == 2) || r.TicketID == "" {
			t.Fatalf("event %d: %+v", i+1, r)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, node.url+"/channels/phone/hotline/events", strings.NewReader(ringing))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned: %d", res.StatusCode)
	}

	src, err := os.ReadFile("../../channels/phone/testdata/Master.csv")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "Master.csv")
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := huiliu(t, env, "", "phone", "import", "--line", "hotline", file)
	if code != 0 || !strings.Contains(out, "4 imported, 0 unchanged, 3 bad") || !strings.Contains(out, "line 5: ") {
		t.Fatalf("first import: exit %d\n%s%s", code, out, stderr)
	}
	out, _, code = huiliu(t, env, "", "phone", "import", "--line", "hotline", file)
	if code != 0 || !strings.Contains(out, "0 imported, 4 unchanged, 3 bad") {
		t.Fatalf("second import: exit %d\n%s", code, out)
	}
	if _, stderr, code := huiliu(t, env, "", "phone", "import", "--line", "nope", file); code != 2 || !strings.Contains(stderr, "no [[phone_line]]") {
		t.Fatalf("unknown line: exit %d %s", code, stderr)
	}

	// The admins' upload runs the same import: the file is known already,
	// its bad rows are named by line; an unknown line is refused in the
	// admin's language.
	token := adminToken(t, env, "phone-admin@example.com")
	upload := func(line string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, node.url+"/api/v1/phone/imports?format=asterisk&line="+line, strings.NewReader(string(src)))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Accept-Language", "zh-CN")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	var sum struct {
		Imported, Unchanged int
		Bad                 []struct {
			Line  int
			Error string
		}
	}
	code, body := upload("hotline")
	if err := json.Unmarshal([]byte(body), &sum); code != http.StatusOK || err != nil || sum.Imported != 0 || sum.Unchanged != 4 ||
		len(sum.Bad) != 3 || sum.Bad[0].Line != 5 {
		t.Fatalf("upload: %d %s", code, body)
	}
	if code, body := upload("nope"); code != http.StatusBadRequest || !strings.Contains(body, "没有名为 nope 的电话线路") {
		t.Fatalf("upload to an unknown line: %d %s", code, body)
	}
}

func TestPhoneLineConfigIsChecked(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "huiliu.toml")
	if err := os.WriteFile(conf, []byte("[[phone_line]]\nname = \"hotline\"\nsecret = \"short\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := huiliu(t, []string{"HUILIU_CONFIG=" + conf}, "", "serve", "--print-config")
	if code == 0 || !strings.Contains(stderr, "at least 16 characters") {
		t.Fatalf("exit %d %s", code, stderr)
	}
}
