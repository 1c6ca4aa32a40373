package desk

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"
)

// Employee-number checks are public, so they are counted per address: a
// customer checking a caller needs a few, someone enumerating numbers
// needs thousands.
const (
	agentCheckPerIP  = 20
	agentCheckWindow = 10 * time.Minute
	// maxEmployeeNo bounds what is compared; real numbers are far shorter.
	maxEmployeeNo = 32
)

// CheckEmployeeNo reports whether no is the public employee number of a
// current (active) agent. Unknown and former numbers give the same false
// through the same path (every agent is compared), so the answer and its
// timing say nothing about whether a number was ever issued. ip is the
// caller's address for the rate limit.
func (s *Service) CheckEmployeeNo(ctx context.Context, no, ip string) (bool, error) {
	if err := s.limit(ctx, "agentcheck:ip:"+ip, agentCheckPerIP, agentCheckWindow,
		"too many employee number checks, try again in %d seconds", "the employee number check is unavailable, try again shortly"); err != nil {
		return false, err
	}
	no = NormalizeEmployeeNo(no)
	if no == "" || len(no) > maxEmployeeNo {
		return false, Errorf(CodeInvalid, "enter an employee number")
	}
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return false, fmt.Errorf("desk: check employee number: %w", err)
	}
	current := 0
	for _, a := range agents {
		same := subtle.ConstantTimeCompare([]byte(NormalizeEmployeeNo(a.EmployeeNo)), []byte(no))
		current |= same & boolBit(a.Active)
	}
	return current == 1, nil
}

// NormalizeEmployeeNo makes what a customer types comparable with a stored
// number: spaces dropped, letters upper-cased ("hl 123456" is HL123456).
func NormalizeEmployeeNo(no string) string {
	return strings.ToUpper(strings.Join(strings.Fields(no), ""))
}

func boolBit(b bool) int {
	if b {
		return 1
	}
	return 0
}
