package web

import (
	"errors"
	"io"
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
	ctx := c.Request().Context()
	t, err := s.svc.VisibleTicket(ctx, current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	limit := maxMessagesPage
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxMessagesPage {
			return desk.Errorf(desk.CodeInvalid, "limit must be a number from 1 to %d", maxMessagesPage)
		}
		limit = n
	}
	ms, err := s.svc.Store().Messages(ctx, t.ID, c.QueryParam("after"), limit)
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []desk.Message{}
	}
	files, err := s.svc.Store().Attachments(ctx, t.ID)
	if err != nil {
		return err
	}
	byMessage := map[string][]desk.Attachment{}
	for _, f := range files {
		byMessage[f.MessageID] = append(byMessage[f.MessageID], f)
	}
	for i := range ms {
		ms[i].Attachments = byMessage[ms[i].ID]
	}
	return c.JSON(http.StatusOK, messagesResponse{Messages: ms})
}

type postMessageRequest struct {
	Kind desk.ReplyKind `json:"kind"`
	Text string         `json:"text"`
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
		if req, files, err = readUpload(c); err != nil {
			return err
		}
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

// readUpload reads a multipart reply; files are held in memory, bounded by
// UploadLimit on the whole body.
func readUpload(c echo.Context) (postMessageRequest, []channels.Attachment, error) {
	r := c.Request()
	if err := r.ParseMultipartForm(UploadLimit); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return postMessageRequest{}, nil, desk.Errorf(desk.CodeTooLarge, "the upload is larger than %d bytes", tooBig.Limit)
		}
		return postMessageRequest{}, nil, desk.Errorf(desk.CodeInvalid, "malformed multipart form")
	}
	defer r.MultipartForm.RemoveAll()
	req := postMessageRequest{Kind: desk.ReplyKind(r.FormValue("kind")), Text: r.FormValue("text")}
	var files []channels.Attachment
	for _, fh := range r.MultipartForm.File["file"] {
		f, err := fh.Open()
		if err != nil {
			return req, nil, desk.Errorf(desk.CodeInvalid, "could not read file %q", fh.Filename)
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return req, nil, desk.Errorf(desk.CodeInvalid, "could not read file %q", fh.Filename)
		}
		files = append(files, channels.Attachment{Name: fh.Filename, MIME: fh.Header.Get(echo.HeaderContentType), Data: data})
	}
	return req, files, nil
}
