package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/channels"
	"huiliu/desk"
)

// APIChannel is the channel name of messages posted by integrations.
const APIChannel = "api"

type inboundRequest struct {
	ExternalID string         `json:"external_id"`
	ThreadKey  string         `json:"thread_key"`
	From       channels.Party `json:"from"`
	Text       string         `json:"text"`
}

// inbound is the generic API channel: an integration posts a customer's
// message. 201 for a new message, 200 with the same ids for a replay.
func (s *Server) inbound(c echo.Context) error {
	if current(c).TokenID == "" {
		return desk.Errorf(desk.CodeForbidden, "inbound messages are posted with an API token (huiliu token add)")
	}
	var req inboundRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.ExternalID == "" {
		return desk.Errorf(desk.CodeInvalid, "external_id is required: it makes retries safe")
	}
	rc, err := s.svc.Ingest(c.Request().Context(), channels.Inbound{
		Channel:    APIChannel,
		ExternalID: req.ExternalID,
		ThreadKey:  req.ThreadKey,
		From:       channels.Party{Kind: req.From.Kind, Value: req.From.Value, Name: req.From.Name},
		Text:       req.Text,
	})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if rc.Duplicate {
		status = http.StatusOK
	}
	return c.JSON(status, rc)
}
