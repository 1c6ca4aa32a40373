package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"huiliu/channels/sms"
)

// VerifyConfig holds the one-time code settings. Config embeds it, so its
// keys sit at the top level of the file (sms_provider = "aliyun"); how long
// a proof lasts is [verification] verified_for (config_facts.go).
type VerifyConfig struct {
	// SMSProvider is file (the default: JSON lines in <data>/sms.jsonl, for
	// development and tests), aliyun, tencent or none (no SMS codes).
	SMSProvider   string   `toml:"sms_provider"`
	SMSKeyID      string   `toml:"sms_key_id"`
	SMSSecret     string   `toml:"sms_secret"`
	SMSSecretFile string   `toml:"sms_secret_file"`
	SMSSignName   string   `toml:"sms_sign_name"`
	SMSTemplate   string   `toml:"sms_template"`
	SMSAppID      string   `toml:"sms_app_id"`
	SMSRegion     string   `toml:"sms_region"`
	SMSParamOrder []string `toml:"sms_param_order"`
	SMSEndpoint   string   `toml:"sms_endpoint"`
	SMSFile       string   `toml:"sms_file"`
	// MailCodesFile receives email codes as JSON lines until an email
	// channel sends them; default <data>/mail-codes.jsonl.
	MailCodesFile string `toml:"mail_codes_file"`
	// OTPKeyFile holds the key codes are hashed with (32 bytes or more);
	// without it the desk makes one and keeps it in the database, shared
	// by every node.
	OTPKeyFile string `toml:"otp_key_file"`
}

// smsNone turns SMS codes off.
const smsNone = "none"

func defaultVerifyConfig() VerifyConfig {
	return VerifyConfig{SMSProvider: sms.ProviderFile}
}

// smsConfig is the provider configuration; ok is false for "none".
func (v VerifyConfig) smsConfig() (sms.Config, bool) {
	if strings.EqualFold(v.SMSProvider, smsNone) {
		return sms.Config{}, false
	}
	return sms.Config{Provider: v.SMSProvider, KeyID: v.SMSKeyID, Secret: v.SMSSecret, SecretFile: v.SMSSecretFile,
		SignName: v.SMSSignName, Template: v.SMSTemplate, AppID: v.SMSAppID, Region: v.SMSRegion,
		ParamOrder: v.SMSParamOrder, Endpoint: v.SMSEndpoint, File: v.SMSFile}, true
}

func (v VerifyConfig) validate() error {
	var errs []error
	if c, ok := v.smsConfig(); ok {
		if err := c.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("sms_provider %q: %w", v.SMSProvider, err))
		}
	}
	if v.OTPKeyFile != "" {
		if _, err := readOTPKey(v.OTPKeyFile); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// masked hides the SMS secret for --print-config.
func (v VerifyConfig) masked() VerifyConfig {
	v.SMSSecret = maskSecret(v.SMSSecret)
	return v
}

// readOTPKey reads a key file: its bytes, trailing newline trimmed.
func readOTPKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("otp_key_file: %w", err)
	}
	b = []byte(strings.TrimRight(string(b), "\r\n"))
	if len(b) < 32 {
		return nil, fmt.Errorf("otp_key_file %s: the key must be at least 32 bytes (e.g. head -c 32 /dev/urandom | base64 > %s)", path, path)
	}
	return b, nil
}

// verifySettings are the one-time code settings' flags and environment
// variables.
func verifySettings() []setting {
	str := func(flag, env, help string, secret bool, f func(*Config) *string) setting {
		return setting{flag: flag, env: env, help: help, kind: "string", secret: secret,
			get: func(c *Config) string { return *f(c) }, set: func(c *Config, v string) error { *f(c) = v; return nil }}
	}
	return []setting{
		str("sms-provider", "HUILIU_SMS_PROVIDER", "SMS provider for one-time codes: file, aliyun, tencent or none", false,
			func(c *Config) *string { return &c.SMSProvider }),
		str("sms-key-id", "HUILIU_SMS_KEY_ID", "SMS AccessKeyId (aliyun) or SecretId (tencent)", false,
			func(c *Config) *string { return &c.SMSKeyID }),
		str("sms-secret", "HUILIU_SMS_SECRET", "SMS AccessKeySecret / SecretKey", true,
			func(c *Config) *string { return &c.SMSSecret }),
		str("sms-secret-file", "HUILIU_SMS_SECRET_FILE", "file holding that secret", false,
			func(c *Config) *string { return &c.SMSSecretFile }),
		str("sms-sign-name", "HUILIU_SMS_SIGN_NAME", "approved SMS signature (签名)", false,
			func(c *Config) *string { return &c.SMSSignName }),
		str("sms-template", "HUILIU_SMS_TEMPLATE", "SMS template id of verification codes", false,
			func(c *Config) *string { return &c.SMSTemplate }),
		str("sms-app-id", "HUILIU_SMS_APP_ID", "Tencent SmsSdkAppId", false,
			func(c *Config) *string { return &c.SMSAppID }),
		str("sms-file", "HUILIU_SMS_FILE", "output of the file SMS provider (default <data>/sms.jsonl)", false,
			func(c *Config) *string { return &c.SMSFile }),
		str("mail-codes-file", "HUILIU_MAIL_CODES_FILE", "where email codes go until an email channel sends them (default <data>/mail-codes.jsonl)", false,
			func(c *Config) *string { return &c.MailCodesFile }),
		str("otp-key-file", "HUILIU_OTP_KEY_FILE", "file holding the one-time code key (default: made and kept in the database)", false,
			func(c *Config) *string { return &c.OTPKeyFile }),
		{flag: "verified-for", env: "HUILIU_VERIFIED_FOR", help: "how long a verified conversation stays verified without a customer message (0: 30m)", kind: "duration",
			get: func(c *Config) string { return c.Verification.VerifiedFor.String() },
			set: func(c *Config, v string) error {
				d, err := time.ParseDuration(v)
				if err != nil || d < time.Minute {
					return fmt.Errorf("%q is not a duration of at least 1m, such as 30m", v)
				}
				c.Verification.VerifiedFor = d
				return nil
			}},
	}
}
