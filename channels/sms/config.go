package sms

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Provider names accepted in Config.Provider.
const (
	ProviderFile    = "file"
	ProviderAliyun  = "aliyun"
	ProviderTencent = "tencent"
)

// DefaultFileName is the file provider's output inside the data directory.
const DefaultFileName = "sms.jsonl"

// Config selects and configures one provider. The secret comes from
// exactly one of Secret, SecretFile or SecretEnv so that it need not sit
// in a config file.
type Config struct {
	Provider   string // file (default), aliyun or tencent
	KeyID      string // Aliyun AccessKeyId / Tencent SecretId
	Secret     string
	SecretFile string // path of a file holding the secret
	SecretEnv  string // name of an environment variable holding it
	SignName   string // approved signature, e.g. 汇流客服
	Template   string // template code for verification codes
	AppID      string // Tencent SmsSdkAppId
	Region     string // Tencent region, ap-guangzhou when empty
	// ParamOrder names Tencent's positional template values in order
	// ({1}, {2}…); sorted parameter names when empty.
	ParamOrder []string
	Endpoint   string // provider URL override (tests, private gateways)
	File       string // file provider output; DataDir/sms.jsonl when empty
}

// Validate reports every missing or contradictory setting at once.
func (c Config) Validate() error {
	var errs []error
	sources := 0
	for _, s := range []string{c.Secret, c.SecretFile, c.SecretEnv} {
		if s != "" {
			sources++
		}
	}
	switch c.provider() {
	case ProviderFile:
	case ProviderAliyun, ProviderTencent:
		if c.KeyID == "" {
			errs = append(errs, errors.New("key id is required"))
		}
		if sources == 0 {
			errs = append(errs, errors.New("a secret is required (secret, secret file or secret env)"))
		}
		if c.SignName == "" {
			errs = append(errs, errors.New("sign name is required"))
		}
		if c.Template == "" {
			errs = append(errs, errors.New("template is required"))
		}
		if c.provider() == ProviderTencent && c.AppID == "" {
			errs = append(errs, errors.New("app id (SmsSdkAppId) is required for tencent"))
		}
	default:
		errs = append(errs, fmt.Errorf("unknown provider %q (want file, aliyun or tencent)", c.Provider))
	}
	if sources > 1 {
		errs = append(errs, errors.New("give the secret only once (secret, secret file or secret env)"))
	}
	if c.Endpoint != "" && !strings.HasPrefix(c.Endpoint, "https://") && !strings.HasPrefix(c.Endpoint, "http://") {
		errs = append(errs, fmt.Errorf("endpoint %q is not an http(s) URL", c.Endpoint))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sms config: %w", err)
	}
	return nil
}

func (c Config) provider() string {
	if c.Provider == "" {
		return ProviderFile
	}
	return strings.ToLower(c.Provider)
}

// String shows the settings with the secret masked, for logs and errors.
func (c Config) String() string {
	secret := ""
	switch {
	case c.Secret != "":
		secret = "****"
	case c.SecretFile != "":
		secret = "file:" + c.SecretFile
	case c.SecretEnv != "":
		secret = "env:" + c.SecretEnv
	}
	return fmt.Sprintf("sms{provider=%s key_id=%s secret=%s sign_name=%q template=%s app_id=%s region=%s endpoint=%s file=%s}",
		c.provider(), maskID(c.KeyID), secret, c.SignName, c.Template, c.AppID, c.Region, c.Endpoint, c.File)
}

// maskID keeps the first four characters of a key id, enough to tell
// keys apart in a log without publishing them.
func maskID(id string) string {
	if len(id) <= 4 {
		return strings.Repeat("*", len(id))
	}
	return id[:4] + "****"
}

func (c Config) secret() (string, error) {
	switch {
	case c.SecretFile != "":
		b, err := os.ReadFile(c.SecretFile)
		if err != nil {
			return "", fmt.Errorf("sms config: secret file: %w", err)
		}
		s := strings.TrimSpace(string(b))
		if s == "" {
			return "", fmt.Errorf("sms config: secret file %s is empty", c.SecretFile)
		}
		return s, nil
	case c.SecretEnv != "":
		s := os.Getenv(c.SecretEnv)
		if s == "" {
			return "", fmt.Errorf("sms config: environment variable %s is empty", c.SecretEnv)
		}
		return s, nil
	}
	return c.Secret, nil
}

// New builds the configured provider; dataDir holds the file provider's
// output unless Config.File names another place. Message.Template is
// filled with Config.Template by the returned sender when left empty.
func New(c Config, dataDir string) (Sender, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.provider() == ProviderFile {
		path := c.File
		if path == "" {
			path = filepath.Join(dataDir, DefaultFileName)
		}
		return defaultTemplate{NewFileSender(path), c.Template}, nil
	}
	secret, err := c.secret()
	if err != nil {
		return nil, err
	}
	var s Sender
	if c.provider() == ProviderAliyun {
		s = &Aliyun{AccessKeyID: c.KeyID, AccessKeySecret: secret, SignName: c.SignName, Endpoint: c.Endpoint}
	} else {
		s = &Tencent{SecretID: c.KeyID, SecretKey: secret, AppID: c.AppID, SignName: c.SignName, Region: c.Region, ParamOrder: c.ParamOrder, Endpoint: c.Endpoint}
	}
	return defaultTemplate{s, c.Template}, nil
}

type defaultTemplate struct {
	Sender
	template string
}

func (d defaultTemplate) Send(ctx context.Context, m Message) (string, error) {
	if m.Template == "" {
		m.Template = d.template
	}
	return d.Sender.Send(ctx, m)
}
