package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"huiliu/channels"
	"huiliu/desk"
)

const maxMessagesPage = 500

type messagesResponse struct {
	Messages []desk.Message `json:"messages"`
}

func (s *Server) listMessages(c echo.Context) error {
	limit := maxMessagesPage
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxMessagesPage {
			return desk.Errorf(desk.CodeInvalid, "limit must be a number from 1 to %d", maxMessagesPage)
		}
		limit = n
	}
	a := current(c).Agent
	ms, err := s.svc.TicketMessages(c.Request().Context(), a, c.Param("id"), c.QueryParam("after"), limit)
	if err != nil {
		return err
	}
	desk.MaskMessagesFor(a, ms)
	return c.JSON(http.StatusOK, messagesResponse{Messages: ms})
}

type postMessageRequest struct {
	Kind desk.ReplyKind `json:"kind"`
	Text string         `json:"text"`
	// OverrideReason sends a reply the disclosure guard refuses.
	OverrideReason string `json:"override_reason,omitempty"`
}

// postMessage answers 201 for a new message and 200 with the same message
// when the Idempotency-Key was seen before. A JSON body posts text; a
// multipart/form-data body (fields kind and text, files in "file") posts
// text with files.
func (s *Server) postMessage(c echo.Context) error {
	var req postMessageRequest
	var files []channels.Attachment
	if isUpload(c) {
		var err error
		var done func()
		if req, files, done, err = s.readUpload(c); err != nil {
			return err
		}
		defer done()
	} else if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Kind == "" {
		req.Kind = desk.KindReply
	}
	m, created, err := s.svc.Post(c.Request().Context(), s.actor(c), desk.PostRequest{
		TicketID:       c.Param("id"),
		Kind:           req.Kind,
		Text:           req.Text,
		IdempotencyKey: c.Request().Header.Get("Idempotency-Key"),
		Attachments:    files,
		OverrideReason: req.OverrideReason,
	})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return c.JSON(status, m)
}
