package main

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// loadArgs parses args as serve's configuration flags would be.
func loadArgs(t *testing.T, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cf := addConfigFlags(fs)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	return cf.load(fs)
}

func TestBooleanFlagsWorkBare(t *testing.T) {
	t.Setenv("HUILIU_SECURE_COOKIES", "")
	t.Setenv("HUILIU_TRUST_PROXY", "")
	cfg, err := loadArgs(t, "--secure-cookies", "--trust-proxy", "--addr", "127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.SecureCookies || !cfg.TrustProxy || cfg.Addr != "127.0.0.1:1" {
		t.Fatalf("bare flags: %+v", cfg)
	}
	cfg, err = loadArgs(t, "--secure-cookies=false", "--trust-proxy=true")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SecureCookies || !cfg.TrustProxy {
		t.Fatalf("flags with values: secure %t trust %t", cfg.SecureCookies, cfg.TrustProxy)
	}
	if _, err := loadArgs(t, "--trust-proxy=maybe"); err == nil || !strings.Contains(err.Error(), "--trust-proxy") {
		t.Fatalf("bad bool: %v", err)
	}
}

func TestHelpShowsTypesAndDefaults(t *testing.T) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var out bytes.Buffer
	fs.SetOutput(&out)
	addConfigFlags(fs)
	if err := fs.Parse([]string{"-h"}); err != flag.ErrHelp {
		t.Fatalf("-h: %v", err)
	}
	for _, want := range []string{"--addr string", "[default 127.0.0.1:8080]", "--secure-cookies bool", "--shutdown-timeout duration", "[default 30s]", "--body-limit bytes", "HUILIU_TRUST_PROXY"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-h lacks %q:\n%s", want, out.String())
		}
	}
}

// The printed configuration is a configuration file: loading it back gives
// the same settings, tables included.
func TestPrintedConfigLoadsBack(t *testing.T) {
	for _, env := range []string{"HUILIU_CONFIG", "DATABASE_URL", "REDIS_URL", "HUILIU_DATA", "HUILIU_TELEGRAM_TOKEN", "HUILIU_LOG_LEVEL"} {
		t.Setenv(env, "")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "in.toml")
	os.WriteFile(src, []byte(`addr = "127.0.0.1:7000"
trust_proxy = true
shutdown_timeout = "45s"
body_limit = 2048
metrics_addr = "127.0.0.1:9100"

[[telegram]]
name = "support"
token_file = "/run/secrets/tg"
mode = "polling"

[[team]]
name = "催收"
mode = "auto"
reassign_after = "10m"

[[routing_rule]]
name = "legal words"
team = "催收"
keywords = ["律师", "起诉"]
[routing_rule.hours]
timezone = "Asia/Shanghai"
days = [1, 2, 3]
hours = "09:00-18:00"

[[sla_calendar]]
name = "cn"
timezone = "Asia/Shanghai"
base = "cn-mainland"
[sla_calendar.hours]
mon = "09:00-18:00"

[[sla_policy]]
name = "default"
calendar = "cn"
first_response = "30m"
[[sla_policy.ladder]]
percent = 80
target = "owner"
`), 0o600)
	want, err := loadArgs(t, "--config", src, "--secure-cookies", "--log-level", "debug")
	if err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	if err := want.print(&printed); err != nil {
		t.Fatal(err)
	}
	back := filepath.Join(dir, "printed.toml")
	os.WriteFile(back, printed.Bytes(), 0o600)
	got, err := loadArgs(t, "--config", back)
	if err != nil {
		t.Fatalf("printed config does not load: %v\n%s", err, printed.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("print → load differs\nwant %+v\ngot  %+v\n%s", want, got, printed.String())
	}
}

func TestPrintMasksSecrets(t *testing.T) {
	cfg := defaultConfig()
	cfg.DatabaseURL = "postgres://u:hunter2@db/x"
	cfg.MetricsToken = "metrics-secret"
	cfg.Telegram = []TelegramBot{{Name: "main", Token: "123:tg-secret", LinkSecret: "link-secret"}}
	var out bytes.Buffer
	if err := cfg.print(&out); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"hunter2", "metrics-secret", "tg-secret", "link-secret"} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("printed %q:\n%s", secret, out.String())
		}
	}
}

// One-shot commands answer on stdout without routine logs around it, and a
// data directory that cannot be used is named in the error.
func TestCommandsAreQuietAndNameTheDataDirectory(t *testing.T) {
	data := t.TempDir()
	env := []string{"HUILIU_DATA=" + data, "DATABASE_URL=", "REDIS_URL=", "HUILIU_CONFIG=", "HUILIU_LOG_LEVEL="}
	out, stderr, code := huiliu(t, env, "", "migrate")
	if code != 0 || !strings.Contains(out, "database is up to date") || strings.Contains(stderr+out, "store: migrated") {
		t.Fatalf("migrate: %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	// The README's TOKEN=$(huiliu token add …): stdout is the token alone.
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("long enough password\n"), 0o600)
	if _, stderr, code := huiliu(t, env, "", "agent", "add", "--email", "a@example.com", "--name", "A", "--password-file", pw); code != 0 {
		t.Fatalf("agent add: %d %s", code, stderr)
	}
	if out, stderr, code := huiliu(t, env, "", "token", "add", "--agent", "a@example.com", "--name", "crm"); code != 0 ||
		!strings.HasPrefix(out, "hlt_") || strings.Count(out, "\n") != 1 || strings.Contains(out, " ") {
		t.Fatalf("token add: %d stdout %q stderr %s", code, out, stderr)
	}
	if _, stderr, _ := huiliu(t, append(env, "HUILIU_LOG_LEVEL=debug"), "", "migrate", "--data", t.TempDir()); !strings.Contains(stderr, "store: migrated") {
		t.Fatalf("debug migrate hides its log: %s", stderr)
	}
	file := filepath.Join(t.TempDir(), "not-a-dir")
	os.WriteFile(file, nil, 0o600)
	bad := filepath.Join(file, "data")
	if _, stderr, code := huiliu(t, env, "", "migrate", "--data", bad); code != 1 || !strings.Contains(stderr, "data directory "+bad) {
		t.Fatalf("unusable data directory: %d %s", code, stderr)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		ro := t.TempDir()
		os.Chmod(ro, 0o500)
		defer os.Chmod(ro, 0o700)
		if _, stderr, code := huiliu(t, env, "", "migrate", "--data", ro); code != 1 || !strings.Contains(stderr, "data directory "+ro+" is not writable") {
			t.Fatalf("read-only data directory: %d %s", code, stderr)
		}
	}
}
