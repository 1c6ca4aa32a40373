package main

import (
	"fmt"

	"huiliu/channels/email"
)

// validateMailboxes checks the [[mailbox]] tables with their defaults
// filled, naming each problem's mailbox and field.
func (c Config) validateMailboxes() []error {
	var errs []error
	seen := map[string]bool{}
	for i, mb := range c.Mailboxes {
		mb.Defaults()
		if err := mb.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("mailbox #%d: %w", i+1, err))
		}
		if seen[mb.Name] {
			errs = append(errs, fmt.Errorf("mailbox %q is configured twice", mb.Name))
		}
		seen[mb.Name] = true
	}
	return errs
}

// maskedMailboxes hides the mailboxes' passwords for --print-config.
func maskedMailboxes(in []email.Mailbox) []email.Mailbox {
	var out []email.Mailbox
	for _, mb := range in {
		out = append(out, mb.Masked())
	}
	return out
}
