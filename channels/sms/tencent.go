package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"huiliu/channels"
)

// TencentEndpoint is the public Tencent Cloud SMS endpoint.
const TencentEndpoint = "https://sms.tencentcloudapi.com/"

const (
	tencentService     = "sms"
	tencentContentType = "application/json; charset=utf-8"
)

// Tencent sends through Tencent Cloud SMS (SendSms, API version
// 2021-01-11, signed with TC3-HMAC-SHA256).
type Tencent struct {
	SecretID  string
	SecretKey string
	AppID     string // SmsSdkAppId
	SignName  string
	Region    string // ap-guangzhou when empty
	// ParamOrder names the template parameters in the order of the
	// template's {1}, {2}…; Tencent takes values by position. Sorted
	// names when empty.
	ParamOrder []string
	Endpoint   string // TencentEndpoint when empty; tests point it at a fake
	Client     *http.Client
	now        func() time.Time
}

type tencentRequest struct {
	PhoneNumberSet   []string
	SmsSdkAppID      string `json:"SmsSdkAppId"`
	SignName         string
	TemplateID       string `json:"TemplateId"`
	TemplateParamSet []string
}

type tencentAnswer struct {
	Response struct {
		Error *struct {
			Code    string
			Message string
		}
		SendStatusSet []struct {
			SerialNo    string
			PhoneNumber string
			Code        string
			Message     string
		}
		RequestID string `json:"RequestId"`
	}
}

// Send calls SendSms for one number. A number without a country code is
// taken as mainland China (+86), the form Tencent requires.
func (t *Tencent) Send(ctx context.Context, m Message) (string, error) {
	if m.To == "" {
		return "", errNoRecipient
	}
	to := m.To
	if !strings.HasPrefix(to, "+") {
		to = "+86" + to
	}
	payload, err := json.Marshal(tencentRequest{
		PhoneNumberSet:   []string{to},
		SmsSdkAppID:      t.AppID,
		SignName:         t.SignName,
		TemplateID:       m.Template,
		TemplateParamSet: t.paramValues(m.Params),
	})
	if err != nil {
		return "", fmt.Errorf("sms: tencent: encode: %w", err)
	}
	endpoint := t.Endpoint
	if endpoint == "" {
		endpoint = TencentEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("sms: tencent: endpoint: %w", err)
	}
	now := time.Now
	if t.now != nil {
		now = t.now
	}
	ts := now().Unix()
	region := t.Region
	if region == "" {
		region = "ap-guangzhou"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return "", fmt.Errorf("sms: tencent: %w", err)
	}
	req.Header.Set("Content-Type", tencentContentType)
	req.Header.Set("X-TC-Action", "SendSms")
	req.Header.Set("X-TC-Version", "2021-01-11")
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-TC-Region", region)
	req.Header.Set("Authorization", tencentAuthorization(t.SecretID, t.SecretKey, u.Host, ts, payload))

	resp, body, err := roundTrip(t.Client, req, "tencent")
	if err != nil {
		return "", err
	}
	var ans tencentAnswer
	if json.Unmarshal(body, &ans) != nil || (ans.Response.Error == nil && len(ans.Response.SendStatusSet) == 0) {
		if resp.StatusCode/100 == 2 {
			return "", fmt.Errorf("sms: tencent: unreadable answer (status %d)", resp.StatusCode)
		}
		return "", statusError("tencent", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if e := ans.Response.Error; e != nil {
		return "", tencentError(resp.StatusCode, e.Code, e.Message, ans.Response.RequestID)
	}
	st := ans.Response.SendStatusSet[0]
	if st.Code != "Ok" {
		return "", tencentError(resp.StatusCode, st.Code, st.Message, ans.Response.RequestID)
	}
	return st.SerialNo, nil
}

func (t *Tencent) paramValues(params map[string]string) []string {
	names := t.ParamOrder
	if len(names) == 0 {
		for k := range params {
			names = append(names, k)
		}
		sort.Strings(names)
	}
	values := make([]string, 0, len(names))
	for _, n := range names {
		values = append(values, params[n])
	}
	return values
}

// tencentError maps Tencent's codes: the per-number rate limits and the
// API's request limit are throttling (a day's limit cannot clear soon, so
// it is permanent), internal errors may pass, the rest (bad number,
// unapproved signature or template, auth, balance) will not.
func tencentError(status int, code, msg, requestID string) error {
	err := fmt.Errorf("sms: tencent: %s: %s (request %s)", code, msg, requestID)
	switch {
	case code == "LimitExceeded.PhoneNumberThirtySecondLimit":
		return throttled(30*time.Second, err)
	case code == "LimitExceeded.PhoneNumberOneHourLimit":
		return throttled(time.Hour, err)
	case code == "RequestLimitExceeded", strings.HasPrefix(code, "RequestLimitExceeded."):
		return throttled(time.Second, err)
	case status >= 500, code == "InternalError", strings.HasPrefix(code, "InternalError."):
		return err
	default:
		return channels.Permanent(err)
	}
}

// tencentAuthorization builds the TC3-HMAC-SHA256 Authorization header
// for a JSON POST to "/" signing content-type and host.
func tencentAuthorization(secretID, secretKey, host string, ts int64, payload []byte) string {
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	scope := date + "/" + tencentService + "/tc3_request"
	return "TC3-HMAC-SHA256 Credential=" + secretID + "/" + scope +
		", SignedHeaders=content-type;host, Signature=" +
		tencentSignature(secretKey, host, ts, payload)
}

// tencentSignature follows the documented steps: canonical request, string
// to sign over its hash, and a key derived from date, service and
// "tc3_request".
func tencentSignature(secretKey, host string, ts int64, payload []byte) string {
	canonical := strings.Join([]string{
		http.MethodPost,
		"/",
		"", // no query string
		"content-type:" + tencentContentType + "\nhost:" + host + "\n",
		"content-type;host",
		sha256Hex(payload),
	}, "\n")
	date := time.Unix(ts, 0).UTC().Format("2006-01-02")
	toSign := "TC3-HMAC-SHA256\n" + strconv.FormatInt(ts, 10) + "\n" +
		date + "/" + tencentService + "/tc3_request\n" + sha256Hex([]byte(canonical))
	key := hmacSHA256([]byte("TC3"+secretKey), date)
	key = hmacSHA256(key, tencentService)
	key = hmacSHA256(key, "tc3_request")
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msg))
	return mac.Sum(nil)
}
