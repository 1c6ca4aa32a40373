package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// decodeJSON reads a JSON body strictly: the right content type, valid
// UTF-8, no unknown fields, one value, within the body limit.
func decodeJSON(c echo.Context, v any) error {
	r := c.Request()
	if ct := r.Header.Get(echo.HeaderContentType); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != echo.MIMEApplicationJSON {
			return desk.Errorf(desk.CodeInvalid, "the body must be application/json")
		}
	}
	raw, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return desk.Errorf(desk.CodeTooLarge, "the body is larger than %d bytes", tooBig.Limit)
	}
	if err != nil {
		return desk.Errorf(desk.CodeInvalid, "could not read the body")
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return desk.Errorf(desk.CodeInvalid, "the body is empty; a JSON object is expected")
	}
	if !utf8.Valid(raw) {
		return desk.Errorf(desk.CodeInvalid, "the body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return desk.Errorf(desk.CodeInvalid, "malformed JSON: %s", jsonProblem(err))
	}
	if dec.More() {
		return desk.Errorf(desk.CodeInvalid, "malformed JSON: more than one value in the body")
	}
	return nil
}

// jsonProblem turns a decoder error into words for the caller.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s", typ.Field, typ.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	}
	// DisallowUnknownFields reports `json: unknown field "x"`.
	return err.Error()
}
