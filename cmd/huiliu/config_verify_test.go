package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huiliu/channels/sms"
	"huiliu/desk"
)

func TestVerifyConfig(t *testing.T) {
	cfg, err := loadArgs(t, "--data", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMSProvider != "file" || cfg.Verification.VerifiedFor != 0 {
		t.Fatalf("defaults: %q %s", cfg.SMSProvider, cfg.Verification.VerifiedFor)
	}
	dir := t.TempDir()
	toml := filepath.Join(dir, "huiliu.toml")
	os.WriteFile(toml, []byte("sms_provider = \"aliyun\"\nsms_key_id = \"LTAI5tExample\"\nsms_secret = \"ali-secret\"\n"+
		"sms_sign_name = \"汇流客服\"\nsms_template = \"SMS_1\"\n[verification]\nverified_for = \"45m\"\n"), 0o600)
	cfg, err = loadArgs(t, "--config", toml, "--data", dir)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Verification.VerifiedFor != 45*time.Minute || cfg.SMSSignName != "汇流客服" {
		t.Fatalf("from the file: %+v", cfg.VerifyConfig)
	}
	var out bytes.Buffer
	if err := cfg.print(&out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "ali-secret") || !strings.Contains(out.String(), `sms_provider = "aliyun"`) {
		t.Fatalf("printed:\n%s", out.String())
	}

	for _, bad := range [][]string{
		{"--sms-provider", "aliyun"}, // no keys
		{"--sms-provider", "carrier-pigeon"},
		{"--verified-for", "10s"},
		{"--otp-key-file", filepath.Join(dir, "missing")},
	} {
		if _, err := loadArgs(t, append(bad, "--data", dir)...); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
	if _, err := loadArgs(t, "--sms-provider", "none", "--data", dir); err != nil {
		t.Errorf("none: %v", err)
	}
}

// The code sender writes SMS codes to the file provider and email codes
// to the mail seam's file, worded in the conversation's language; with
// sms_provider none an SMS code fails for good.
func TestCodeSenderFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := defaultConfig()
	cfg.Data = dir
	s, err := newCodeSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.SendCode(ctx, desk.OTPSMS, "13812348001", "246810", "en"); err != nil {
		t.Fatal(err)
	}
	if err := s.SendCode(ctx, desk.OTPEmail, "fang@example.com", "135790", "zh-CN"); err != nil {
		t.Fatal(err)
	}
	if c, err := sms.LatestCode(filepath.Join(dir, "sms.jsonl"), "13812348001"); err != nil || c != "246810" {
		t.Fatalf("sms code %q %v", c, err)
	}
	if c, err := sms.LatestCode(filepath.Join(dir, mailCodesFileName), "fang@example.com"); err != nil || c != "135790" {
		t.Fatalf("mail code %q %v", c, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "sms.jsonl"))
	if !strings.Contains(string(b), "Your verification code is 246810") {
		t.Fatalf("sms text: %s", b)
	}
	cfg.SMSProvider = "none"
	s, _ = newCodeSender(cfg)
	if err := s.SendCode(ctx, desk.OTPSMS, "13812348001", "1", "en"); err == nil {
		t.Fatal("an SMS went out with sms_provider none")
	}
}
