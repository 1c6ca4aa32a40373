package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"huiliu/desk"
	"huiliu/internal/factsapi"
	"huiliu/store"
)

// FactsConfig is where customer facts come from (docs/verification.md):
// the company's API when FactsURL is set, else the facts table that
// `huiliu facts import` fills.
type FactsConfig struct {
	FactsURL        string `toml:"facts_url"`
	FactsSecret     string `toml:"facts_secret"`
	FactsSecretFile string `toml:"facts_secret_file"`
	// FactsTimeout bounds one request (default 3s); FactsCache is how long
	// an answer is reused (default 60s, "-1s" no cache).
	FactsTimeout      time.Duration `toml:"facts_timeout"`
	FactsCache        time.Duration `toml:"facts_cache"`
	FactsAllowPrivate bool          `toml:"facts_allow_private"`
}

// VerificationConfig is the [verification] table: how long a proof lasts
// without activity and the level each fact needs (a policy saved on the
// desk's verification page wins over this once saved).
type VerificationConfig struct {
	VerifiedFor time.Duration `toml:"verified_for"`
	// Policy maps a fact (name, balance, next_due, ...) to a level 0–3.
	Policy map[string]int `toml:"policy"`
}

func (c Config) validateFacts() []error {
	var errs []error
	f := c.FactsConfig
	if f.FactsURL != "" {
		if (f.FactsSecret == "") == (f.FactsSecretFile == "") {
			errs = append(errs, errors.New("facts_url needs exactly one of facts_secret and facts_secret_file"))
		}
	} else if f.FactsSecret != "" || f.FactsSecretFile != "" {
		errs = append(errs, errors.New("facts_secret is set but facts_url is empty"))
	}
	if f.FactsTimeout < 0 || f.FactsTimeout > time.Minute {
		errs = append(errs, fmt.Errorf("facts_timeout %s must be between 0 (default 3s) and 1m", f.FactsTimeout))
	}
	if c.Verification.VerifiedFor < 0 {
		errs = append(errs, errors.New("verification.verified_for must not be negative"))
	}
	if err := desk.FactPolicy(c.Verification.Policy).Validate(); err != nil {
		errs = append(errs, fmt.Errorf("verification.policy: %s", strings.TrimPrefix(err.Error(), "invalid: ")))
	}
	return errs
}

// factsSource builds the configured source: the HTTP API, else the table.
func (c Config) factsSource(db *store.DB) (desk.FactsSource, error) {
	f := c.FactsConfig
	if f.FactsURL == "" {
		return db.FactsSource(), nil
	}
	secret := f.FactsSecret
	if f.FactsSecretFile != "" {
		b, err := os.ReadFile(f.FactsSecretFile)
		if err != nil {
			return nil, fmt.Errorf("facts_secret_file: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	}
	return factsapi.New(factsapi.Config{URL: f.FactsURL, Secret: []byte(secret), Timeout: f.FactsTimeout,
		CacheTTL: f.FactsCache, AllowPrivate: f.FactsAllowPrivate})
}
