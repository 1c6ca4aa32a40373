package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huiliu/channels/email"
	"huiliu/channels/sms"
)

// TestEmailCodesLeaveBySMTPOnceTheChannelIsUp: before serve builds the
// email channel (or without mailboxes) a code goes to the file; once the
// channel is set, to its SMTP server — here a port nobody listens on, so
// the send fails and the file stays as it was.
func TestEmailCodesLeaveBySMTPOnceTheChannelIsUp(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mail-codes.jsonl")
	m := &mailCodes{file: fileMailCodes{sms.NewFileSender(path)}}
	if err := m.SendMailCode(ctx, "wang@example.com", "验证码", "您的验证码是 482913", "482913"); err != nil {
		t.Fatal(err)
	}
	if code, err := sms.LatestCode(path, "wang@example.com"); err != nil || code != "482913" {
		t.Fatalf("file code %q %v", code, err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nobody listens there now
	ch, err := email.New([]email.Mailbox{{Name: "support", Address: "support@huiliu.test",
		IMAP: email.Server{Host: "127.0.0.1", Port: 1, Security: "plain", Insecure: true, Password: "x"},
		SMTP: email.Server{Host: "127.0.0.1", Port: port, Security: "plain", Insecure: true, Auth: "none"}}}, email.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	m.smtp.Store(ch)
	before, _ := os.ReadFile(path)
	err = m.SendMailCode(ctx, "wang@example.com", "验证码", "您的验证码是 130077", "130077")
	if err == nil || !strings.Contains(err.Error(), "smtp") {
		t.Fatalf("a code with the channel up did not go to SMTP: %v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("the code went to the file although the email channel is up")
	}
}
