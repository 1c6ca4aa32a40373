package telegramtest

import (
	"net/http"
	"strconv"
)

// CallbackAnswer is one answerCallbackQuery a bot made.
type CallbackAnswer struct {
	ID   string // callback_query_id
	Text string
}

// Callback is a raw update with a button tap (callback_query) from user
// in a private chat, for PushRaw or a webhook post.
func Callback(updateID int, user int64, queryID, data, languageCode string) []byte {
	return []byte(`{"update_id":` + strconv.Itoa(updateID) + `,"callback_query":{"id":` + strconv.Quote(queryID) +
		`,"from":{"id":` + strconv.FormatInt(user, 10) + `,"is_bot":false,"first_name":"Li","language_code":` + strconv.Quote(languageCode) +
		`},"chat_instance":"1","data":` + strconv.Quote(data) + `}}`)
}

// Answers lists the answerCallbackQuery calls in order.
func (s *Server) Answers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

func (s *Server) answerCallback(w http.ResponseWriter, p params) {
	if p["callback_query_id"] == "" {
		writeError(w, http.StatusBadRequest, "Bad Request: query is too old and response timeout expired or query ID is invalid", 0)
		return
	}
	s.mu.Lock()
	s.answers = append(s.answers, CallbackAnswer{ID: p["callback_query_id"], Text: p["text"]})
	s.mu.Unlock()
	writeOK(w, true)
}
