package webchat

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClientFrame feeds arbitrary bytes to the client-frame decoder:
// nothing may panic, a refusal must say what is wrong with a known code,
// and an accepted message must be storable.
func FuzzClientFrame(f *testing.F) {
	for _, s := range []string{
		`{"type":"hello","visitor":"v1.abc.def","ticket_id":"t1","after":3,"lang":"zh-CN"}`,
		`{"type":"hello","identity":{"customer_no":"C1","name":"李雷","iat":1800000000,"sig":"00"}}`,
		`{"type":"message","client_msg_id":"0b6c1f9e-2f0a-4c1d-9f51-7f3a1c2b9d10","text":"你好"}`,
		`{"type":"typing"}`,
		`{"type":"verify_send","kind":"sms"}`,
		`{"type":"verify_code","kind":"email","code":"012345"}`,
		`{"type":"message","client_msg_id":"x","text":"\u0000"}`,
		`{"type":5}`,
		`{"type":"csat","token":"01M8YDC6GD2RAPXJ5YGDP34W0V.pNtpA6NOaUd2_K8-pEZIpQ","score":4,"comment":"好","lang":"zh-CN"}`,
		`{"type":"csat","token":"t","score":6}`,
		"\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fr, err := decodeClientFrame(raw, DefaultMaxTextBytes)
		if err != nil {
			switch err.Code {
			case CodeInvalid, CodeTooLarge:
			default:
				t.Fatalf("code %q", err.Code)
			}
			if err.Message == "" || !utf8.ValidString(err.Message) || len(err.Message) > 200 {
				t.Fatalf("message %q", err.Message)
			}
			return
		}
		switch fr.Type {
		case frameHello, frameTyping:
		case frameMessage:
			if !utf8.ValidString(fr.Text) || strings.IndexByte(fr.Text, 0) >= 0 ||
				strings.TrimSpace(fr.Text) == "" || len(fr.Text) > DefaultMaxTextBytes ||
				!clientMsgIDRE.MatchString(fr.ClientMsgID) {
				t.Fatalf("accepted %+v", fr)
			}
		case frameVerifySend, frameVerifyCode:
			if fr.Kind != VerifySMS && fr.Kind != VerifyEmail ||
				fr.Type == frameVerifyCode && (fr.Code == "" || len(fr.Code) > maxCode) {
				t.Fatalf("accepted %+v", fr)
			}
		case frameSurvey:
			if fr.Token == "" || len(fr.Token) > maxSurveyToken || fr.Score < 1 || fr.Score > 5 ||
				len(fr.Comment) > maxSurveyComment || strings.IndexByte(fr.Comment, 0) >= 0 {
				t.Fatalf("accepted %+v", fr)
			}
		default:
			t.Fatalf("accepted type %q", fr.Type)
		}
	})
}
