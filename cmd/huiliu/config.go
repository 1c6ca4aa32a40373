package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/BurntSushi/toml"

	"huiliu/channels/email"
	"huiliu/channels/phone"
	"huiliu/channels/webchat"
	"huiliu/internal/piilog"
)

// Config is everything a huiliu process needs to know. Precedence, lowest
// first: defaults, the TOML file (--config or HUILIU_CONFIG), environment,
// flags. The README's configuration table lists every field.
type Config struct {
	Addr        string `toml:"addr"`
	Data        string `toml:"data"`
	DatabaseURL string `toml:"database_url"`
	RedisURL    string `toml:"redis_url"`
	LogLevel    string `toml:"log_level"`
	LogFormat   string `toml:"log_format"`
	// BodyLimit is the largest accepted request body, in bytes.
	BodyLimit       int64         `toml:"body_limit"`
	SecureCookies   bool          `toml:"secure_cookies"`
	TrustProxy      bool          `toml:"trust_proxy"`
	ShutdownTimeout time.Duration `toml:"shutdown_timeout"`
	// PprofAddr, when set, serves Go's profiler on a separate listener.
	PprofAddr string `toml:"pprof_addr"`
	// MetricsAddr serves /metrics on a listener of its own (keep it
	// private); MetricsToken opens /metrics on the main address to a
	// Bearer token. With neither, no metrics are served.
	MetricsAddr  string `toml:"metrics_addr"`
	MetricsToken string `toml:"metrics_token"`
	// API channel: where agent replies to API-channel tickets are POSTed.
	APICallbackURL        string `toml:"api_callback_url"`
	APICallbackSecret     string `toml:"api_callback_secret"`
	AllowPrivateCallbacks bool   `toml:"allow_private_callbacks"`
	// WebchatMessagesPerMinute bounds what one website visitor may send.
	WebchatMessagesPerMinute int `toml:"webchat_messages_per_minute"`
	// Anonymous flood limits of the website chat (docs/webchat.md); -1
	// turns one off.
	WebchatNewVisitorsPerAddress int `toml:"webchat_new_visitors_per_address"`
	WebchatNewTicketsPerAddress  int `toml:"webchat_new_tickets_per_address"`
	WebchatNewTicketsPerSite     int `toml:"webchat_new_tickets_per_site"`
	// WebchatMaxIngests bounds the chat messages a node stores at once;
	// more are answered busy.
	WebchatMaxIngests int `toml:"webchat_max_ingests"`
	// PublicURL is where Telegram (and later other peers) reach this desk,
	// for webhooks; e.g. https://desk.example.com.
	PublicURL string `toml:"public_url"`
	// Telegram bots, from [[telegram]] tables; the HUILIU_TELEGRAM_*
	// variables add one bot named "main".
	Telegram []TelegramBot `toml:"telegram"`
	// SLA calendars and policies from [[sla_calendar]] and [[sla_policy]]
	// tables, applied at serve start (cmd/huiliu/sla.go).
	SLACalendars []SLACalendarConfig `toml:"sla_calendar"`
	// Teams and RoutingRules come from [[team]] and [[routing_rule]]
	// tables, kept in step with the file at every start.
	Teams        []TeamConfig        `toml:"team"`
	RoutingRules []RoutingRuleConfig `toml:"routing_rule"`
	SLAPolicies  []SLAPolicyConfig   `toml:"sla_policy"`
	// Mailboxes are the email channel's [[mailbox]] tables
	// (cmd/huiliu/config_email.go, docs/email.md).
	Mailboxes []email.Mailbox `toml:"mailbox"`
	// PhoneLines are the phone channel's [[phone_line]] tables
	// (cmd/huiliu/phone.go, docs/phone.md).
	PhoneLines []phone.Line `toml:"phone_line"`
	// Customer facts and the [verification] table (config_facts.go).
	FactsConfig
	Verification VerificationConfig `toml:"verification"`
	// RetentionDays purges the personal data of tickets closed longer ago
	// than this, once a day (cmd/huiliu/retention.go); 0: off.
	RetentionDays int `toml:"retention_days"`
	// ReportsTimezone is the zone report days and hours are counted in
	// (docs/supervisors.md).
	ReportsTimezone string `toml:"reports_timezone"`
	// telegramEnv holds the single bot given by environment or flags.
	telegramEnv TelegramBot
	// One-time codes and verification (config_verify.go).
	VerifyConfig
	// Bot is the [bot] table (cmd/huiliu/bot.go, docs/bot.md).
	Bot BotConfig `toml:"bot"`
}

// TelegramBot configures one Telegram bot. Secrets can come from files so
// they stay out of the configuration and the process list.
type TelegramBot struct {
	Name              string `toml:"name"`
	Token             string `toml:"token"`
	TokenFile         string `toml:"token_file"`
	Mode              string `toml:"mode"` // polling (default) or webhook
	WebhookSecret     string `toml:"webhook_secret"`
	WebhookSecretFile string `toml:"webhook_secret_file"`
	AllowGroups       bool   `toml:"allow_groups"`
	LinkSecret        string `toml:"link_secret"`
	LinkSecretFile    string `toml:"link_secret_file"`
	// APIEndpoint and FileEndpoint override the Bot API addresses (fmt
	// patterns taking the token and the method or file path); for tests
	// and the benchmark.
	APIEndpoint  string `toml:"api_endpoint"`
	FileEndpoint string `toml:"file_endpoint"`
}

func defaultConfig() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		Data:            "./data",
		LogLevel:        "info",
		LogFormat:       "text",
		BodyLimit:       1 << 20,
		ShutdownTimeout: 30 * time.Second,

		WebchatMessagesPerMinute: 20,

		WebchatNewVisitorsPerAddress: webchat.DefaultNewVisitorsPerAddress,
		WebchatNewTicketsPerAddress:  webchat.DefaultNewTicketsPerAddress,
		WebchatNewTicketsPerSite:     webchat.DefaultNewTicketsPerSite,
		WebchatMaxIngests:            webchat.DefaultMaxIngests,

		VerifyConfig: defaultVerifyConfig(),

		ReportsTimezone: "Asia/Shanghai",
	}
}

// setting ties one config field to its flag and environment variable.
type setting struct {
	flag, env, help string
	kind            string // shown by -h: string, bool, int, bytes, duration
	secret          bool
	get             func(*Config) string
	set             func(*Config, string) error
}

func settings() []setting {
	str := func(f func(*Config) *string) (func(*Config) string, func(*Config, string) error) {
		return func(c *Config) string { return *f(c) }, func(c *Config, v string) error { *f(c) = v; return nil }
	}
	boolean := func(f func(*Config) *bool) (func(*Config) string, func(*Config, string) error) {
		return func(c *Config) string { return strconv.FormatBool(*f(c)) }, func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			*f(c) = b
			return nil
		}
	}
	mk := func(flag, env, help string, secret bool, g func(*Config) string, s func(*Config, string) error) setting {
		return setting{flag: flag, env: env, help: help, secret: secret, get: g, set: s}
	}
	var out []setting
	add := func(s setting, kind string) { s.kind = kind; out = append(out, s) }
	g, s := str(func(c *Config) *string { return &c.Addr })
	add(mk("addr", "HUILIU_ADDR", "listen address", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.Data })
	add(mk("data", "HUILIU_DATA", "data directory (SQLite file when no database URL)", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.DatabaseURL })
	add(mk("database-url", "DATABASE_URL", "PostgreSQL URL; empty: embedded SQLite", true, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.RedisURL })
	add(mk("redis-url", "REDIS_URL", "Redis URL; empty: in-process queues (one node)", true, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.LogLevel })
	add(mk("log-level", "HUILIU_LOG_LEVEL", "debug, info, warn or error", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.LogFormat })
	add(mk("log-format", "HUILIU_LOG_FORMAT", "text or json", false, g, s), "string")
	add(mk("body-limit", "HUILIU_BODY_LIMIT", "largest request body in bytes",
		false, func(c *Config) string { return strconv.FormatInt(c.BodyLimit, 10) },
		func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1024 {
				return fmt.Errorf("%q is not a byte count of at least 1024", v)
			}
			c.BodyLimit = n
			return nil
		}), "bytes")
	b, bs := boolean(func(c *Config) *bool { return &c.SecureCookies })
	add(mk("secure-cookies", "HUILIU_SECURE_COOKIES", "mark cookies Secure (behind a TLS proxy)", false, b, bs), "bool")
	b, bs = boolean(func(c *Config) *bool { return &c.TrustProxy })
	add(mk("trust-proxy", "HUILIU_TRUST_PROXY", "take client addresses from X-Forwarded-For", false, b, bs), "bool")
	add(mk("shutdown-timeout", "HUILIU_SHUTDOWN_TIMEOUT", "how long a graceful stop may take",
		false, func(c *Config) string { return c.ShutdownTimeout.String() },
		func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("%q is not a positive duration such as 30s", v)
			}
			c.ShutdownTimeout = d
			return nil
		}), "duration")
	g, s = str(func(c *Config) *string { return &c.PprofAddr })
	add(mk("pprof-addr", "HUILIU_PPROF_ADDR", "serve net/http/pprof on this address (keep it on loopback)", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.MetricsAddr })
	add(mk("metrics-addr", "HUILIU_METRICS_ADDR", "serve /metrics on this address, without a token (keep it private)", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.MetricsToken })
	add(mk("metrics-token", "HUILIU_METRICS_TOKEN", "Bearer token that opens /metrics on the main address", true, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.APICallbackURL })
	add(mk("api-callback-url", "HUILIU_API_CALLBACK_URL", "URL that receives replies to API-channel tickets", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.APICallbackSecret })
	add(mk("api-callback-secret", "HUILIU_API_CALLBACK_SECRET", "HMAC secret that signs API callbacks", true, g, s), "string")
	b, bs = boolean(func(c *Config) *bool { return &c.AllowPrivateCallbacks })
	add(mk("allow-private-callbacks", "HUILIU_ALLOW_PRIVATE_CALLBACKS", "allow callbacks to loopback/private addresses", false, b, bs), "bool")
	add(mk("webchat-messages-per-minute", "HUILIU_WEBCHAT_MESSAGES_PER_MINUTE", "messages one website visitor may send per minute",
		false, func(c *Config) string { return strconv.Itoa(c.WebchatMessagesPerMinute) },
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return fmt.Errorf("%q is not a positive number", v)
			}
			c.WebchatMessagesPerMinute = n
			return nil
		}), "int")
	// limit is a count flag; off allows -1 (no limit).
	limit := func(name, env, help string, field func(c *Config) *int, off bool) {
		add(mk(name, env, help, false, func(c *Config) string { return strconv.Itoa(*field(c)) },
			func(c *Config, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 && !(off && n == -1) {
					if off {
						return fmt.Errorf("%q is not a positive number or -1 (off)", v)
					}
					return fmt.Errorf("%q is not a positive number", v)
				}
				*field(c) = n
				return nil
			}), "int")
	}
	limit("webchat-new-visitors-per-address", "HUILIU_WEBCHAT_NEW_VISITORS_PER_ADDRESS", "new website-chat visitors per address and site per 10 minutes (-1: off)",
		func(c *Config) *int { return &c.WebchatNewVisitorsPerAddress }, true)
	limit("webchat-new-tickets-per-address", "HUILIU_WEBCHAT_NEW_TICKETS_PER_ADDRESS", "new website-chat tickets per address and site per 10 minutes (-1: off)",
		func(c *Config) *int { return &c.WebchatNewTicketsPerAddress }, true)
	limit("webchat-new-tickets-per-site", "HUILIU_WEBCHAT_NEW_TICKETS_PER_SITE", "new website-chat tickets per site per minute (-1: off)",
		func(c *Config) *int { return &c.WebchatNewTicketsPerSite }, true)
	limit("webchat-max-ingests", "HUILIU_WEBCHAT_MAX_INGESTS", "website-chat messages a node stores at once; more are answered busy",
		func(c *Config) *int { return &c.WebchatMaxIngests }, false)
	add(mk("retention-days", "HUILIU_RETENTION_DAYS", "purge personal data of tickets closed longer ago than this many days, daily (0: off)",
		false, func(c *Config) string { return strconv.Itoa(c.RetentionDays) },
		func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("%q is not a number of days (0: off)", v)
			}
			c.RetentionDays = n
			return nil
		}), "int")
	g, s = str(func(c *Config) *string { return &c.ReportsTimezone })
	add(mk("reports-timezone", "HUILIU_REPORTS_TIMEZONE", "IANA zone report days and the weekly summary are counted in", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.PublicURL })
	add(mk("public-url", "HUILIU_PUBLIC_URL", "public base URL of this desk, for webhooks", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.telegramEnv.Token })
	add(mk("telegram-token", "HUILIU_TELEGRAM_TOKEN", "token of the Telegram bot \"main\"", true, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.telegramEnv.TokenFile })
	add(mk("telegram-token-file", "HUILIU_TELEGRAM_TOKEN_FILE", "file holding that token", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.telegramEnv.Mode })
	add(mk("telegram-mode", "HUILIU_TELEGRAM_MODE", "polling or webhook", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.telegramEnv.WebhookSecret })
	add(mk("telegram-webhook-secret", "HUILIU_TELEGRAM_WEBHOOK_SECRET", "secret Telegram sends with webhook calls", true, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.telegramEnv.LinkSecret })
	add(mk("telegram-link-secret", "HUILIU_TELEGRAM_LINK_SECRET", "HMAC key of /start deep links", true, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.telegramEnv.APIEndpoint })
	add(mk("telegram-api-endpoint", "HUILIU_TELEGRAM_API_ENDPOINT", "Bot API address pattern (tests)", false, g, s), "string")
	g, s = str(func(c *Config) *string { return &c.telegramEnv.FileEndpoint })
	add(mk("telegram-file-endpoint", "HUILIU_TELEGRAM_FILE_ENDPOINT", "Bot API file download pattern (tests)", false, g, s), "string")
	out = append(out, verifySettings()...)
	return out
}

// configFlags registers the shared configuration flags on fs; load() then
// applies file, environment and the flags that were set.
type configFlags struct {
	file   *string
	values map[string]*settingFlag
}

// settingFlag holds the text a configuration flag was given; load applies
// it over file and environment. Boolean ones work bare (--trust-proxy).
type settingFlag struct {
	value, kind string
}

func (f *settingFlag) String() string {
	if f == nil {
		return ""
	}
	return f.value
}

func (f *settingFlag) Set(v string) error { f.value = v; return nil }

// IsBoolFlag lets the flag package accept a boolean setting without a value.
func (f *settingFlag) IsBoolFlag() bool { return f.kind == "bool" }

func addConfigFlags(fs *flag.FlagSet) *configFlags {
	cf := &configFlags{file: fs.String("config", "", "TOML configuration file (HUILIU_CONFIG)"), values: map[string]*settingFlag{}}
	def := defaultConfig()
	for _, s := range settings() {
		v := &settingFlag{value: s.get(&def), kind: s.kind}
		cf.values[s.flag] = v
		fs.Var(v, s.flag, s.help+" ("+s.env+")")
	}
	fs.Usage = func() { printUsage(fs) }
	return cf
}

// printUsage lists every flag with its type and default, so -h answers
// "what do I write here" without the README.
func printUsage(fs *flag.FlagSet) {
	w := tabwriter.NewWriter(fs.Output(), 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "usage: huiliu %s [flags]\n\nflags (a bool flag alone means true; --flag=false turns it off):\n", fs.Name())
	fs.VisitAll(func(f *flag.Flag) {
		typ, help := flag.UnquoteUsage(f)
		if sf, ok := f.Value.(*settingFlag); ok {
			typ = sf.kind
		} else if typ == "" {
			typ = "bool"
		}
		if f.DefValue != "" && f.DefValue != "false" {
			help += fmt.Sprintf(" [default %s]", f.DefValue)
		}
		fmt.Fprintf(w, "  --%s %s\t%s\n", f.Name, typ, help)
	})
	w.Flush()
}

func (cf *configFlags) load(fs *flag.FlagSet) (Config, error) {
	cfg := defaultConfig()
	path := *cf.file
	if path == "" {
		path = os.Getenv("HUILIU_CONFIG")
	}
	if path != "" {
		md, err := toml.DecodeFile(path, &cfg)
		if err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
		if und := md.Undecoded(); len(und) > 0 {
			return Config{}, fmt.Errorf("config file %s: unknown key %q", path, und[0].String())
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, s := range settings() {
		if v, ok := os.LookupEnv(s.env); ok && v != "" {
			if err := s.set(&cfg, v); err != nil {
				return Config{}, fmt.Errorf("%s: %w", s.env, err)
			}
		}
		if set[s.flag] {
			if err := s.set(&cfg, cf.values[s.flag].value); err != nil {
				return Config{}, fmt.Errorf("--%s: %w", s.flag, err)
			}
		}
	}
	if cfg.telegramEnv.Token != "" || cfg.telegramEnv.TokenFile != "" {
		bot := cfg.telegramEnv
		bot.Name = "main"
		cfg.Telegram = append(cfg.Telegram, bot)
	}
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	var errs []error
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("database_url must start with postgres:// (leave it empty for embedded SQLite)"))
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		errs = append(errs, errors.New("redis_url must start with redis:// or rediss:// (leave it empty for in-process queues)"))
	}
	if c.DatabaseURL == "" && c.Data == "" {
		errs = append(errs, errors.New("data must name a directory when database_url is empty"))
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, err)
	}
	if c.RetentionDays < 0 {
		errs = append(errs, fmt.Errorf("retention_days %d must be 0 (off) or a number of days", c.RetentionDays))
	}
	if _, err := time.LoadLocation(c.ReportsTimezone); err != nil || c.ReportsTimezone == "" {
		errs = append(errs, fmt.Errorf("reports_timezone %q is not an IANA zone such as Asia/Shanghai", c.ReportsTimezone))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log_format %q must be text or json", c.LogFormat))
	}
	for i, b := range c.Telegram {
		if b.Name == "" {
			errs = append(errs, fmt.Errorf("telegram bot #%d: name is required", i+1))
		}
		if (b.Token == "") == (b.TokenFile == "") {
			errs = append(errs, fmt.Errorf("telegram bot %q: give exactly one of token and token_file", b.Name))
		}
		if b.Mode == "webhook" && c.PublicURL == "" {
			errs = append(errs, fmt.Errorf("telegram bot %q: webhook mode needs public_url", b.Name))
		}
	}
	errs = append(errs, c.validateMailboxes()...)
	if _, err := c.phoneLines(); err != nil {
		errs = append(errs, err)
	}
	if err := c.VerifyConfig.validate(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.validateFacts()...)
	return errors.Join(errs...)
}

// print writes the effective configuration as TOML with secrets masked;
// the output is a configuration file that loads back to the same settings
// (the masked secrets aside), calendars, teams and rules included.
func (c Config) print(w io.Writer) error {
	c.DatabaseURL = maskSecret(c.DatabaseURL)
	c.RedisURL = maskSecret(c.RedisURL)
	c.APICallbackSecret = maskSecret(c.APICallbackSecret)
	c.MetricsToken = maskSecret(c.MetricsToken)
	c.VerifyConfig = c.VerifyConfig.masked()
	c.FactsSecret = maskSecret(c.FactsSecret)
	var bots []TelegramBot
	for _, b := range c.Telegram {
		b.Token, b.WebhookSecret, b.LinkSecret = maskSecret(b.Token), maskSecret(b.WebhookSecret), maskSecret(b.LinkSecret)
		bots = append(bots, b)
	}
	c.Telegram = bots
	c.Mailboxes = maskedMailboxes(c.Mailboxes)
	c.PhoneLines = maskedPhoneLines(c.PhoneLines)
	enc := toml.NewEncoder(w)
	enc.Indent = ""
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("print configuration: %w", err)
	}
	return nil
}

// maskSecret hides passwords in URLs and whole plain secrets.
func maskSecret(v string) string {
	if v == "" {
		return ""
	}
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
		if u.User != nil {
			if _, has := u.User.Password(); has {
				u.User = url.UserPassword(u.User.Username(), "xxxxx")
			}
		}
		return u.String()
	}
	return "xxxxx"
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("log_level %q must be debug, info, warn or error", s)
	}
	return l, nil
}

// checkDataDir makes sure the SQLite directory exists and takes new files,
// so a missing or read-only directory is reported with its path rather than
// as a database error further on.
func checkDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data directory %s does not exist and cannot be created: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

func (c Config) logger(w io.Writer) *slog.Logger {
	lvl, _ := parseLevel(c.LogLevel)
	return c.loggerAt(w, lvl)
}

// commandLogger is for one-shot commands (migrate, agent add, ...): their
// output is the answer, so routine logs such as each migration applied
// show only with log_level debug; warnings and errors always do.
func (c Config) commandLogger(w io.Writer) *slog.Logger {
	lvl, _ := parseLevel(c.LogLevel)
	if lvl > slog.LevelDebug {
		lvl = max(lvl, slog.LevelWarn)
	}
	return c.loggerAt(w, lvl)
}

// loggerAt masks personal data in every message and attribute (piilog):
// logs are read by more people than the desk, and kept longer.
func (c Config) loggerAt(w io.Writer, lvl slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(piilog.New(slog.NewJSONHandler(w, opts)))
	}
	return slog.New(piilog.New(slog.NewTextHandler(w, opts)))
}
