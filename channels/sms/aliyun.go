package sms

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"huiliu/channels"
)

// AliyunEndpoint is the public dysmsapi endpoint.
const AliyunEndpoint = "https://dysmsapi.aliyuncs.com/"

// Aliyun sends through Aliyun SMS (dysmsapi SendSms, RPC style, signature
// version 1.0 with HMAC-SHA1).
type Aliyun struct {
	AccessKeyID     string
	AccessKeySecret string
	SignName        string
	Endpoint        string // AliyunEndpoint when empty; tests point it at a fake
	Client          *http.Client
	now             func() time.Time
}

type aliyunAnswer struct {
	Code      string
	Message   string
	BizID     string `json:"BizId"`
	RequestID string `json:"RequestId"`
}

// Send calls SendSms for one number with the message's template and params.
func (a *Aliyun) Send(ctx context.Context, m Message) (string, error) {
	if m.To == "" {
		return "", errNoRecipient
	}
	params := map[string]string{}
	if len(m.Params) > 0 {
		p, err := json.Marshal(m.Params)
		if err != nil {
			return "", fmt.Errorf("sms: aliyun: params: %w", err)
		}
		params["TemplateParam"] = string(p)
	}
	now := time.Now
	if a.now != nil {
		now = a.now
	}
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("sms: aliyun: nonce: %w", err)
	}
	for k, v := range map[string]string{
		"AccessKeyId":      a.AccessKeyID,
		"Action":           "SendSms",
		"Format":           "JSON",
		"PhoneNumbers":     m.To,
		"RegionId":         "cn-hangzhou",
		"SignName":         a.SignName,
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   hex.EncodeToString(nonce),
		"SignatureVersion": "1.0",
		"TemplateCode":     m.Template,
		"Timestamp":        now().UTC().Format("2006-01-02T15:04:05Z"),
		"Version":          "2017-05-25",
	} {
		params[k] = v
	}
	query := aliyunCanonicalQuery(params)
	sig := aliyunSignature(a.AccessKeySecret, http.MethodGet, query)
	endpoint := a.Endpoint
	if endpoint == "" {
		endpoint = AliyunEndpoint
	}
	u := endpoint + "?Signature=" + aliyunEncode(sig) + "&" + query
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", fmt.Errorf("sms: aliyun: %w", err)
	}
	resp, body, err := roundTrip(a.Client, req, "aliyun")
	if err != nil {
		return "", err
	}
	var ans aliyunAnswer
	if json.Unmarshal(body, &ans) != nil || ans.Code == "" {
		if resp.StatusCode/100 == 2 {
			return "", fmt.Errorf("sms: aliyun: unreadable answer (status %d)", resp.StatusCode)
		}
		return "", statusError("aliyun", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if ans.Code == "OK" {
		return ans.BizID, nil
	}
	return "", aliyunError(resp.StatusCode, ans)
}

// aliyunError maps SendSms error codes: the flow-control codes are
// throttling; an error on the server side may pass; the rest (illegal
// number, template or signature, bad keys, no balance) will not.
func aliyunError(status int, ans aliyunAnswer) error {
	err := fmt.Errorf("sms: aliyun: %s: %s (request %s)", ans.Code, ans.Message, ans.RequestID)
	switch {
	case ans.Code == "isv.BUSINESS_LIMIT_CONTROL", strings.HasPrefix(ans.Code, "Throttling"):
		return throttled(time.Minute, err)
	case status >= 500, ans.Code == "isp.SYSTEM_ERROR", ans.Code == "ServiceUnavailable", ans.Code == "InternalError":
		return err
	default:
		return channels.Permanent(err)
	}
}

// aliyunEncode percent-encodes per RFC 3986 as the RPC signature requires:
// only unreserved characters stay, so space is %20, '*' is %2A and '~' stays.
func aliyunEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// aliyunCanonicalQuery joins the encoded parameters sorted by name.
func aliyunCanonicalQuery(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = aliyunEncode(k) + "=" + aliyunEncode(params[k])
	}
	return strings.Join(parts, "&")
}

// aliyunSignature signs a canonical query: base64 of HMAC-SHA1 keyed with
// secret+"&" over METHOD&%2F&encode(query).
func aliyunSignature(secret, method, canonicalQuery string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(method + "&" + aliyunEncode("/") + "&" + aliyunEncode(canonicalQuery)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
