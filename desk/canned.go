package desk

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CannedReply is a prepared answer agents insert into a reply; TeamID ""
// makes it available to everyone. ArticleID, when set, names the
// knowledge-base article the reply stands for: the desk's web layer then
// offers the article's published text instead of Text, which stays the
// fallback while the article is not published.
type CannedReply struct {
	ID        string    `json:"id"`
	TeamID    string    `json:"team_id"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	ArticleID string    `json:"article_id"`
	CreatedBy string    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Limits of canned replies.
const (
	maxCannedTitleRunes = 100
	maxCannedTextBytes  = 8 << 10
	maxCannedArticleID  = 64
)

// CannedReplies lists the replies an agent may use: the global ones and
// those of their teams; supervisors and admins see every team's.
func (s *Service) CannedReplies(ctx context.Context, a Agent) ([]CannedReply, error) {
	teams := a.TeamIDs
	if a.Role.AtLeast(RoleSupervisor) {
		teams = nil
	} else if teams == nil {
		teams = []string{}
	}
	list, err := s.store.CannedReplies(ctx, teams)
	if err != nil {
		return nil, fmt.Errorf("desk: canned replies for %s: %w", a.ID, err)
	}
	return list, nil
}

// CannedVariables are the placeholders a canned reply may hold, filled in
// on the ticket page when the reply is inserted: the customer's name, the
// agent's name and employee number, the ticket's number. Each has an
// English, a Simplified and a Traditional Chinese spelling.
var CannedVariables = []string{"customer_name", "agent_name", "employee_no", "ticket_number",
	"客户姓名", "客服姓名", "工号", "工单号", "客戶姓名", "工號", "工單號"}

// cannedVariable finds {{name}} placeholders.
var cannedVariable = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// checkCanned trims and checks a canned reply's fields.
func checkCanned(c *CannedReply) error {
	c.Title, c.Text, c.ArticleID = strings.TrimSpace(c.Title), strings.TrimSpace(c.Text), strings.TrimSpace(c.ArticleID)
	switch {
	case len(c.ArticleID) > maxCannedArticleID || !ValidText(c.ArticleID):
		return Errorf(CodeInvalid, "the article id is not valid")
	case c.Title == "" || c.Text == "":
		return Errorf(CodeInvalid, "a canned reply needs a title and a text")
	case !ValidText(c.Title) || !ValidText(c.Text):
		return Errorf(CodeInvalid, "title and text must be valid UTF-8 without NUL characters")
	case utf8.RuneCountInString(c.Title) > maxCannedTitleRunes:
		return Errorf(CodeInvalid, "the title is longer than %d characters", maxCannedTitleRunes)
	case len(c.Text) > maxCannedTextBytes:
		return Errorf(CodeTooLarge, "the text is larger than %d bytes", maxCannedTextBytes)
	}
	for _, m := range cannedVariable.FindAllStringSubmatch(c.Text, -1) {
		if !slices.Contains(CannedVariables, m[1]) {
			return Errorf(CodeInvalid, "unknown variable %s; use one of %s", "{{"+m[1]+"}}", "{{"+strings.Join(CannedVariables, "}}, {{")+"}}")
		}
	}
	return nil
}

// CreateCannedReply stores a canned reply; supervisors and admins only.
func (s *Service) CreateCannedReply(ctx context.Context, actor Actor, c CannedReply) (CannedReply, error) {
	if actor.Agent == nil || !actor.Agent.Role.AtLeast(RoleSupervisor) {
		return CannedReply{}, Errorf(CodeForbidden, "only supervisors and admins manage canned replies")
	}
	if err := checkCanned(&c); err != nil {
		return CannedReply{}, err
	}
	c.ID, c.CreatedBy, c.CreatedAt = NewID(), actor.Agent.ID, s.now().UTC()
	err := s.store.Tx(ctx, func(tx Tx) error {
		if c.TeamID != "" {
			if _, err := tx.Team(ctx, c.TeamID); err != nil {
				return notFoundAs(err, "team %s not found", c.TeamID)
			}
		}
		if err := tx.InsertCannedReply(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "canned.create", c.ID, c.Title)
	})
	if err != nil {
		return CannedReply{}, fmt.Errorf("desk: create canned reply: %w", err)
	}
	return c, nil
}

// UpdateCannedReply changes a canned reply's team, title, text and
// article; supervisors and admins only.
func (s *Service) UpdateCannedReply(ctx context.Context, actor Actor, id string, c CannedReply) (CannedReply, error) {
	if actor.Agent == nil || !actor.Agent.Role.AtLeast(RoleSupervisor) {
		return CannedReply{}, Errorf(CodeForbidden, "only supervisors and admins manage canned replies")
	}
	if err := checkCanned(&c); err != nil {
		return CannedReply{}, err
	}
	var out CannedReply
	err := s.store.Tx(ctx, func(tx Tx) error {
		cur, err := tx.CannedReply(ctx, id)
		if err != nil {
			return notFoundAs(err, "canned reply %s not found", id)
		}
		if c.TeamID != "" {
			if _, err := tx.Team(ctx, c.TeamID); err != nil {
				return notFoundAs(err, "team %s not found", c.TeamID)
			}
		}
		out = cur
		out.TeamID, out.Title, out.Text, out.ArticleID = c.TeamID, c.Title, c.Text, c.ArticleID
		if err := tx.UpdateCannedReply(ctx, out); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "canned.update", id, out.Title)
	})
	if err != nil {
		return CannedReply{}, fmt.Errorf("desk: update canned reply %s: %w", id, err)
	}
	return out, nil
}

// DeleteCannedReply removes a canned reply; supervisors and admins only.
func (s *Service) DeleteCannedReply(ctx context.Context, actor Actor, id string) error {
	if actor.Agent == nil || !actor.Agent.Role.AtLeast(RoleSupervisor) {
		return Errorf(CodeForbidden, "only supervisors and admins manage canned replies")
	}
	err := s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.DeleteCannedReply(ctx, id); err != nil {
			return notFoundAs(err, "canned reply %s not found", id)
		}
		return s.audit(ctx, tx, actor, "canned.delete", id, "")
	})
	if err != nil {
		return fmt.Errorf("desk: delete canned reply %s: %w", id, err)
	}
	return nil
}
