package desk

import (
	"context"
	"crypto/subtle"
	"errors"
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
	ans, err := s.CheckEmployeeNoIn(ctx, no, ip, "")
	return ans.Current, err
}

// AgentCheck answers an employee number check. Handling is set only from
// inside a conversation: the number belongs to a current agent who owns
// or works that conversation.
type AgentCheck struct {
	Current  bool `json:"current"`
	Handling bool `json:"handling"`
}

// CheckEmployeeNoIn is CheckEmployeeNo asked from inside the customer's
// own conversation, ticketID ("" outside one): it also tells whether the
// agent handles that conversation (its owner or assignee). It says nothing
// about other conversations, and the conversation is read for every
// number, known or not, so unknown and former numbers still answer alike.
func (s *Service) CheckEmployeeNoIn(ctx context.Context, no, ip, ticketID string) (AgentCheck, error) {
	if err := s.limit(ctx, "agentcheck:ip:"+ip, agentCheckPerIP, agentCheckWindow,
		"too many employee number checks, try again in %d seconds", "the employee number check is unavailable, try again shortly"); err != nil {
		return AgentCheck{}, err
	}
	no = NormalizeEmployeeNo(no)
	if no == "" || len(no) > maxEmployeeNo {
		return AgentCheck{}, Errorf(CodeInvalid, "enter an employee number")
	}
	agents, err := s.store.Agents(ctx)
	if err != nil {
		return AgentCheck{}, fmt.Errorf("desk: check employee number: %w", err)
	}
	var t Ticket
	if ticketID != "" {
		if t, err = s.store.Ticket(ctx, ticketID); err != nil && !errors.Is(err, ErrNotFound) {
			return AgentCheck{}, fmt.Errorf("desk: check employee number: ticket %s: %w", ticketID, err)
		}
	}
	current, handling := 0, 0
	for _, a := range agents {
		same := subtle.ConstantTimeCompare([]byte(NormalizeEmployeeNo(a.EmployeeNo)), []byte(no)) & boolBit(a.Active)
		current |= same
		handling |= same & boolBit(a.ID == t.OwnerID || a.ID == t.AssigneeID)
	}
	return AgentCheck{Current: current == 1, Handling: handling == 1}, nil
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
