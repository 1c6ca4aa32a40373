package sms

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	ok := []Config{
		{},
		{Provider: "file"},
		{Provider: "aliyun", KeyID: "id", Secret: "s", SignName: "汇流", Template: "SMS_1"},
		{Provider: "tencent", KeyID: "id", SecretEnv: "X", SignName: "汇流", Template: "1", AppID: "1400"},
	}
	for _, c := range ok {
		if err := c.Validate(); err != nil {
			t.Errorf("%v: %v", c, err)
		}
	}
	bad := map[string]Config{
		"unknown provider":   {Provider: "twilio"},
		"no key id":          {Provider: "aliyun", Secret: "s", SignName: "n", Template: "t"},
		"no secret":          {Provider: "aliyun", KeyID: "id", SignName: "n", Template: "t"},
		"two secrets":        {Provider: "aliyun", KeyID: "id", Secret: "s", SecretEnv: "E", SignName: "n", Template: "t"},
		"no sign name":       {Provider: "aliyun", KeyID: "id", Secret: "s", Template: "t"},
		"no template":        {Provider: "aliyun", KeyID: "id", Secret: "s", SignName: "n"},
		"tencent app id":     {Provider: "tencent", KeyID: "id", Secret: "s", SignName: "n", Template: "t"},
		"endpoint not a url": {Provider: "aliyun", KeyID: "id", Secret: "s", SignName: "n", Template: "t", Endpoint: "dysms.local"},
	}
	for name, c := range bad {
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted %v", name, c)
		}
	}
}

func TestConfigStringMasksSecrets(t *testing.T) {
	c := Config{Provider: "aliyun", KeyID: "LTAI5tSecretish", Secret: "topsecretvalue", SignName: "汇流", Template: "SMS_1"}
	s := c.String()
	if strings.Contains(s, "topsecretvalue") || strings.Contains(s, "LTAI5tSecretish") {
		t.Errorf("String leaks a key: %s", s)
	}
	if !strings.Contains(s, "LTAI****") || !strings.Contains(s, "SMS_1") {
		t.Errorf("String hides too much: %s", s)
	}
}

func TestNewFileDefaultsToDataDir(t *testing.T) {
	dir := t.TempDir()
	s, err := New(Config{Template: "otp"}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), Message{To: "13800138000", Text: "code 654321"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, DefaultFileName))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"template":"otp"`) {
		t.Errorf("config template not applied: %s", b)
	}
}

func TestNewAliyunReadsSecretFromFileAndEnv(t *testing.T) {
	var got url.Values
	srv := fakeAliyun(t, "filesecret", func(w http.ResponseWriter, q url.Values) { got = q; aliyunOK(w, q) })
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte("filesecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Provider: "aliyun", KeyID: "id", SecretFile: secretFile, SignName: "汇流", Template: "SMS_9", Endpoint: srv.URL + "/"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), Message{To: "13800138000"}); err != nil {
		t.Fatal(err)
	}
	if got.Get("TemplateCode") != "SMS_9" {
		t.Errorf("template = %q, want config's SMS_9", got.Get("TemplateCode"))
	}

	t.Setenv("HUILIU_TEST_SMS_SECRET", "filesecret")
	s, err = New(Config{Provider: "aliyun", KeyID: "id", SecretEnv: "HUILIU_TEST_SMS_SECRET", SignName: "汇流", Template: "SMS_9", Endpoint: srv.URL + "/"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(context.Background(), Message{To: "13800138000"}); err != nil {
		t.Fatalf("env secret: %v", err)
	}

	if _, err := New(Config{Provider: "aliyun", KeyID: "id", SecretEnv: "HUILIU_TEST_SMS_UNSET", SignName: "n", Template: "t"}, ""); err == nil {
		t.Error("empty environment secret accepted")
	}
}
