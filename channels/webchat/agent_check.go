package webchat

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AgentAnswer is the desk's answer to an employee number check. Handling:
// the agent owns or works the visitor's open conversation. Wait > 0: the
// caller checked too often.
type AgentAnswer struct {
	Current, Handling bool
	Wait              time.Duration
}

// agentCheckRequest is the widget's question. The visitor token is in the
// body, not the URL, so it stays out of access logs; the body is sent as
// text/plain so the browser needs no preflight.
type agentCheckRequest struct {
	Visitor string `json:"visitor"`
	No      string `json:"no"`
}

type agentCheckBody struct {
	EmployeeNo string `json:"employee_no"`
	Current    bool   `json:"current"`
	Handling   bool   `json:"handling"`
}

// maxAgentCheckBody bounds the question.
const maxAgentCheckBody = 4 << 10

// serveAgentCheck answers POST /webchat/agent-check?site=KEY with
// {"visitor": token, "no": "HL123456"}: whether the number is a current
// agent's and, for a valid visitor token with an open conversation,
// whether that agent handles it. Without a valid token it is the plain
// public check. The answer has the same fields for every number;
// checks count per client address like the public page.
func (s *Server) serveAgentCheck(w http.ResponseWriter, r *http.Request) {
	if s.o.CheckAgent == nil {
		writeJSONError(w, http.StatusNotFound, CodeUnavailable, "the agent check is not served here")
		return
	}
	site, ok := s.corsSite(w, r)
	if !ok {
		return
	}
	var req agentCheckRequest
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxAgentCheckBody+1))
	if err != nil || len(raw) > maxAgentCheckBody || json.Unmarshal(raw, &req) != nil || strings.TrimSpace(req.No) == "" || len(req.No) > 64 {
		writeJSONError(w, http.StatusBadRequest, CodeInvalid, "send {\"no\": \"HL123456\"} with the visitor token")
		return
	}
	ticket := ""
	if visitor, err := verifyVisitor(site.Secret, site.Key, req.Visitor); err == nil {
		if ticket, err = s.o.History.ActiveTicket(r.Context(), site.Key, visitor); err != nil {
			s.log.Error("webchat: agent check: conversation", "err", err)
			writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "try again later")
			return
		}
	}
	ans, err := s.o.CheckAgent(r.Context(), req.No, s.clientAddr(r), ticket)
	switch {
	case err != nil:
		s.log.Warn("webchat: agent check", "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "try again later")
		return
	case ans.Wait > 0:
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(ans.Wait.Seconds())))))
		writeJSONError(w, http.StatusTooManyRequests, CodeRateLimited, "too many checks, try again later")
		return
	}
	no := strings.ToUpper(strings.Join(strings.Fields(req.No), ""))
	writeJSON(w, http.StatusOK, agentCheckBody{EmployeeNo: no, Current: ans.Current, Handling: ans.Handling})
}
