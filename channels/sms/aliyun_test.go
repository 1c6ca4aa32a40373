package sms

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
)

// The signing example of the Aliyun SMS docs ("HTTP 协议及签名"): these
// parameters with secret testSecret sign to zJDF+Lrzhj/ThnlvIToysFRq6t4=.
func TestAliyunSignatureDocExample(t *testing.T) {
	params := map[string]string{
		"AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
		"PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
		"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
		"SignatureVersion": "1.0", "TemplateCode": "SMS_71390007", "TemplateParam": `{"customer":"test"}`,
		"Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
	}
	if got, want := aliyunSignature("testSecret", "GET", aliyunCanonicalQuery(params)), "zJDF+Lrzhj/ThnlvIToysFRq6t4="; got != want {
		t.Fatalf("signature = %s, want %s", got, want)
	}
}

func TestAliyunEncode(t *testing.T) {
	for in, want := range map[string]string{"a b": "a%20b", "*": "%2A", "~-_.": "~-_.", "+/=": "%2B%2F%3D", "汇": "%E6%B1%87"} {
		if got := aliyunEncode(in); got != want {
			t.Errorf("aliyunEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkAliyunSignature recomputes the signature the way the provider
// documents it, written apart from the client's code: QueryEscape, then
// the three documented substitutions.
func checkAliyunSignature(r *http.Request, secret string) bool {
	enc := func(s string) string {
		s = url.QueryEscape(s)
		return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(s)
	}
	q := r.URL.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, enc(k)+"="+enc(q.Get(k)))
	}
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(r.Method + "&%2F&" + enc(strings.Join(parts, "&"))))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(q.Get("Signature")), []byte(want))
}

// fakeAliyun answers SendSms like dysmsapi: a wrong signature is refused
// with SignatureDoesNotMatch, otherwise answer decides the reply.
func fakeAliyun(t *testing.T, secret string, answer func(w http.ResponseWriter, q url.Values)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !checkAliyunSignature(r, secret) {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched with our calculation.", "RequestId": "r-bad"})
			return
		}
		answer(w, r.URL.Query())
	}))
	t.Cleanup(srv.Close)
	return srv
}

func aliyunOK(w http.ResponseWriter, _ url.Values) {
	json.NewEncoder(w).Encode(map[string]string{"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r-1"})
}

func aliyunCode(status int, code string) func(http.ResponseWriter, url.Values) {
	return func(w http.ResponseWriter, _ url.Values) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"Code": code, "Message": code, "RequestId": "r-2"})
	}
}

func TestAliyunSendSigned(t *testing.T) {
	var got url.Values
	srv := fakeAliyun(t, "s3cret", func(w http.ResponseWriter, q url.Values) { got = q; aliyunOK(w, q) })
	a := &Aliyun{AccessKeyID: "LTAIkey", AccessKeySecret: "s3cret", SignName: "汇流客服", Endpoint: srv.URL + "/"}
	id, err := a.Send(context.Background(), Message{To: "13800138000", Template: "SMS_1", Params: map[string]string{"code": "123456"}})
	if err != nil {
		t.Fatal(err)
	}
	if id != "900619746936498440^0" {
		t.Errorf("id = %q", id)
	}
	for k, want := range map[string]string{"Action": "SendSms", "PhoneNumbers": "13800138000", "SignName": "汇流客服", "TemplateCode": "SMS_1", "TemplateParam": `{"code":"123456"}`, "AccessKeyId": "LTAIkey", "Version": "2017-05-25"} {
		if got.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, got.Get(k), want)
		}
	}
}

func TestAliyunWrongSecretRefused(t *testing.T) {
	srv := fakeAliyun(t, "s3cret", aliyunOK)
	a := &Aliyun{AccessKeyID: "LTAIkey", AccessKeySecret: "wrong", SignName: "汇流", Endpoint: srv.URL + "/"}
	_, err := a.Send(context.Background(), Message{To: "13800138000", Template: "SMS_1"})
	if !errors.Is(err, channels.ErrPermanent) || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
		t.Fatalf("err = %v, want permanent SignatureDoesNotMatch", err)
	}
}

func TestAliyunErrorMapping(t *testing.T) {
	cases := []struct {
		name      string
		answer    func(http.ResponseWriter, url.Values)
		permanent bool
		after     time.Duration // >0: want a RetryAfterError with this delay
	}{
		{"throttled", aliyunCode(200, "isv.BUSINESS_LIMIT_CONTROL"), false, time.Minute},
		{"api throttling", aliyunCode(400, "Throttling.User"), false, time.Minute},
		{"bad number", aliyunCode(200, "isv.MOBILE_NUMBER_ILLEGAL"), true, 0},
		{"bad template", aliyunCode(200, "isv.SMS_TEMPLATE_ILLEGAL"), true, 0},
		{"bad signature name", aliyunCode(200, "isv.SMS_SIGNATURE_ILLEGAL"), true, 0},
		{"provider fault", aliyunCode(200, "isp.SYSTEM_ERROR"), false, 0},
		{"gateway down", func(w http.ResponseWriter, _ url.Values) { w.WriteHeader(http.StatusBadGateway) }, false, 0},
		{"http 429", func(w http.ResponseWriter, _ url.Values) {
			w.Header().Set("Retry-After", "7")
			w.WriteHeader(http.StatusTooManyRequests)
		}, false, 7 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeAliyun(t, "k", tc.answer)
			a := &Aliyun{AccessKeyID: "id", AccessKeySecret: "k", SignName: "s", Endpoint: srv.URL + "/"}
			_, err := a.Send(context.Background(), Message{To: "13800138000", Template: "SMS_1"})
			assertClass(t, err, tc.permanent, tc.after)
		})
	}
}

func assertClass(t *testing.T, err error, permanent bool, after time.Duration) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if got := errors.Is(err, channels.ErrPermanent); got != permanent {
		t.Errorf("permanent = %v, want %v (%v)", got, permanent, err)
	}
	var ra *channels.RetryAfterError
	isRA := errors.As(err, &ra)
	if after > 0 && (!isRA || ra.After != after) {
		t.Errorf("want retry after %s, got %v", after, err)
	}
	if after == 0 && isRA {
		t.Errorf("unexpected retry-after: %v", err)
	}
}

func TestAliyunTimeoutIsRetryable(t *testing.T) {
	release := make(chan struct{})
	srv := fakeAliyun(t, "k", func(w http.ResponseWriter, q url.Values) { <-release })
	defer close(release)
	a := &Aliyun{AccessKeyID: "id", AccessKeySecret: "k", SignName: "s", Endpoint: srv.URL + "/",
		Client: &http.Client{Timeout: 20 * time.Millisecond}}
	_, err := a.Send(context.Background(), Message{To: "13800138000", Template: "SMS_1"})
	if err == nil || errors.Is(err, channels.ErrPermanent) {
		t.Fatalf("err = %v, want a retryable error", err)
	}
}
