package sms

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checkTencentSignature verifies a received request the way the TC3 docs
// describe, from the headers and body as they arrived: scope date from
// X-TC-Timestamp, canonical headers from the signed header names.
func checkTencentSignature(r *http.Request, body []byte, secretID, secretKey string) error {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "TC3-HMAC-SHA256 ")
	if !ok {
		return fmt.Errorf("algorithm in %q", auth)
	}
	fields := map[string]string{}
	for _, f := range strings.Split(rest, ", ") {
		k, v, _ := strings.Cut(f, "=")
		fields[k] = v
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp: %w", err)
	}
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	scope := date + "/sms/tc3_request"
	if fields["Credential"] != secretID+"/"+scope {
		return fmt.Errorf("credential %q", fields["Credential"])
	}
	var canonHeaders strings.Builder
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		v := r.Header.Get(h)
		if h == "host" {
			v = r.Host
		}
		canonHeaders.WriteString(h + ":" + strings.ToLower(strings.TrimSpace(v)) + "\n")
	}
	hash := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	mac := func(k []byte, m string) []byte { h := hmac.New(sha256.New, k); h.Write([]byte(m)); return h.Sum(nil) }
	canonical := r.Method + "\n" + r.URL.Path + "\n" + r.URL.RawQuery + "\n" + canonHeaders.String() + "\n" +
		fields["SignedHeaders"] + "\n" + hash(body)
	toSign := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" + scope + "\n" + hash([]byte(canonical))
	key := mac(mac(mac([]byte("TC3"+secretKey), date), "sms"), "tc3_request")
	if want := hex.EncodeToString(mac(key, toSign)); !hmac.Equal([]byte(fields["Signature"]), []byte(want)) {
		return fmt.Errorf("signature mismatch")
	}
	return nil
}

func fakeTencent(t *testing.T, secretKey string, answer func(w http.ResponseWriter, req tencentRequest)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("X-TC-Action") != "SendSms" || r.Header.Get("X-TC-Version") != "2021-01-11" {
			t.Errorf("action/version headers: %v", r.Header)
		}
		if err := checkTencentSignature(r, body, "AKIDtest", secretKey); err != nil {
			fmt.Fprintf(w, `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":%q},"RequestId":"r-bad"}}`, err.Error())
			return
		}
		var req tencentRequest
		if err := json.Unmarshal(body, &req); err != nil {
			t.Errorf("body: %v", err)
		}
		answer(w, req)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func tencentStatus(code string) func(http.ResponseWriter, tencentRequest) {
	return func(w http.ResponseWriter, req tencentRequest) {
		fmt.Fprintf(w, `{"Response":{"SendStatusSet":[{"SerialNo":"2640:1","PhoneNumber":%q,"Code":%q,"Message":"m"}],"RequestId":"r-1"}}`, req.PhoneNumberSet[0], code)
	}
}

func tencentAPIError(code string) func(http.ResponseWriter, tencentRequest) {
	return func(w http.ResponseWriter, _ tencentRequest) {
		fmt.Fprintf(w, `{"Response":{"Error":{"Code":%q,"Message":"m"},"RequestId":"r-2"}}`, code)
	}
}

func TestTencentSendSigned(t *testing.T) {
	var got tencentRequest
	srv := fakeTencent(t, "key", func(w http.ResponseWriter, req tencentRequest) { got = req; tencentStatus("Ok")(w, req) })
	tc := &Tencent{SecretID: "AKIDtest", SecretKey: "key", AppID: "1400000001", SignName: "汇流客服",
		ParamOrder: []string{"code", "minutes"}, Endpoint: srv.URL + "/"}
	id, err := tc.Send(context.Background(), Message{To: "13800138000", Template: "449739", Params: map[string]string{"minutes": "5", "code": "123456"}})
	if err != nil {
		t.Fatal(err)
	}
	if id != "2640:1" {
		t.Errorf("id = %q", id)
	}
	if got.PhoneNumberSet[0] != "+8613800138000" || got.SmsSdkAppID != "1400000001" || got.TemplateID != "449739" || got.SignName != "汇流客服" {
		t.Errorf("request = %+v", got)
	}
	if strings.Join(got.TemplateParamSet, ",") != "123456,5" {
		t.Errorf("params in order = %v, want [123456 5]", got.TemplateParamSet)
	}
}

func TestTencentWrongSecretRefused(t *testing.T) {
	srv := fakeTencent(t, "key", tencentStatus("Ok"))
	tc := &Tencent{SecretID: "AKIDtest", SecretKey: "other", AppID: "1", SignName: "s", Endpoint: srv.URL + "/"}
	_, err := tc.Send(context.Background(), Message{To: "+8613800138000", Template: "1"})
	assertClass(t, err, true, 0)
	if err != nil && !strings.Contains(err.Error(), "AuthFailure.SignatureFailure") {
		t.Errorf("err = %v", err)
	}
}

func TestTencentErrorMapping(t *testing.T) {
	cases := []struct {
		name      string
		answer    func(http.ResponseWriter, tencentRequest)
		permanent bool
		after     time.Duration
	}{
		{"30s limit", tencentStatus("LimitExceeded.PhoneNumberThirtySecondLimit"), false, 30 * time.Second},
		{"hour limit", tencentStatus("LimitExceeded.PhoneNumberOneHourLimit"), false, time.Hour},
		{"daily limit", tencentStatus("LimitExceeded.PhoneNumberDailyLimit"), true, 0},
		{"api limit", tencentAPIError("RequestLimitExceeded"), false, time.Second},
		{"bad number", tencentStatus("InvalidParameterValue.IncorrectPhoneNumber"), true, 0},
		{"unapproved signature", tencentStatus("FailedOperation.SignatureIncorrectOrUnapproved"), true, 0},
		{"unapproved template", tencentStatus("FailedOperation.TemplateIncorrectOrUnapproved"), true, 0},
		{"internal", tencentAPIError("InternalError.Timeout"), false, 0},
		{"5xx", func(w http.ResponseWriter, _ tencentRequest) { w.WriteHeader(http.StatusServiceUnavailable) }, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := fakeTencent(t, "key", c.answer)
			tc := &Tencent{SecretID: "AKIDtest", SecretKey: "key", AppID: "1", SignName: "s", Endpoint: srv.URL + "/"}
			_, err := tc.Send(context.Background(), Message{To: "13800138000", Template: "1"})
			assertClass(t, err, c.permanent, c.after)
		})
	}
}
