package webchat

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// CodeOriginRefused is the error code of the HTTP 403 answered to a page
// whose origin the site does not list.
const CodeOriginRefused = "origin_refused"

// lookupSite finds the site named by ?site=; ok is false for a missing or
// unknown key, err is set when the lookup itself failed.
func (s *Server) lookupSite(r *http.Request) (site Site, ok bool, err error) {
	key := r.URL.Query().Get("site")
	if key == "" || len(key) > maxSiteKeyBytes {
		return Site{}, false, nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	site, err = s.o.Sites.SiteByKey(ctx, key)
	if errors.Is(err, ErrUnknownSite) {
		return Site{}, false, nil
	}
	if err != nil {
		return Site{}, false, err
	}
	return site, true, nil
}

// serveWS upgrades the customer websocket. An unknown site is upgraded
// anyway and answered with an unknown_site error frame and close 4404,
// because a browser hides the HTTP status of a failed handshake and the
// widget must be told to stop reconnecting. A refused origin is a plain
// 403: that page has no business learning more.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("site")
	log := s.log.With("site", truncate(key, maxSiteKeyBytes), "remote", r.RemoteAddr)
	site, ok, err := s.lookupSite(r)
	if err != nil {
		log.Error("webchat: looking up site", "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "try again later")
		return
	}
	if !ok {
		log.Info("webchat: connection for an unknown site")
		s.refuseUnknownSite(w, r, log)
		return
	}
	if origin := r.Header.Get("Origin"); !site.allowsOrigin(origin) {
		log.Warn("webchat: connection from an origin the site does not list", "origin", truncate(origin, 200))
		writeJSONError(w, http.StatusForbidden, CodeOriginRefused, "this page's origin may not use the chat of this site")
		return
	}
	if len(site.Secret) < MinSecretBytes {
		log.Error("webchat: site secret is shorter than the minimum; refusing connections", "min_bytes", MinSecretBytes)
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "the chat of this site is not configured")
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		log.Debug("webchat: websocket upgrade failed", "err", err)
		return // the upgrader has answered
	}
	// The handler returns at once: net/http keeps its 4 KiB read and write
	// buffers and the grown handler stack for as long as the handler runs,
	// which would triple the cost of an idle connection. Nothing of the
	// request is kept: its context, logger and site copy would be a few
	// hundred bytes on every idle connection.
	go newConn(s, ws, s.sharedSite(site), s.clientAddr(r)).serve()
}

func (s *Server) refuseUnknownSite(w http.ResponseWriter, r *http.Request, log *slog.Logger) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		log.Debug("webchat: websocket upgrade failed", "err", err)
		return
	}
	defer ws.Close()
	deadline := time.Now().Add(s.o.WriteWait)
	_ = ws.SetWriteDeadline(deadline)
	_ = ws.WriteMessage(websocket.TextMessage, encodeFrame(errorFrame{
		Type: frameError, Code: CodeUnknownSite, Message: "no site has this key; check data-site",
	}))
	_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(CloseUnknownSite, CodeUnknownSite), deadline)
}

// configBody is GET /webchat/config: what the widget shows before it
// connects.
type configBody struct {
	Site   siteInfo   `json:"site"`
	Limits limitsInfo `json:"limits"`
}

// corsSite finds the request's site and admits the page's origin for a
// cross-origin read, answering the refusal itself (unknown site 404,
// foreign origin 403, lookup failure 503); ok false means it answered.
func (s *Server) corsSite(w http.ResponseWriter, r *http.Request) (Site, bool) {
	site, ok, err := s.lookupSite(r)
	if err != nil {
		s.log.Error("webchat: looking up site", "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "try again later")
		return Site{}, false
	}
	if !ok {
		writeJSONError(w, http.StatusNotFound, CodeUnknownSite, "no site has this key; check data-site")
		return Site{}, false
	}
	w.Header().Set("Vary", "Origin")
	if origin := r.Header.Get("Origin"); origin != "" {
		if !site.allowsOrigin(origin) {
			writeJSONError(w, http.StatusForbidden, CodeOriginRefused, "this page's origin may not use the chat of this site")
			return Site{}, false
		}
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
	return site, true
}

// serveConfig answers the site's public texts. Unknown sites get a 404
// JSON body; pages on origins the site does not list get a 403.
func (s *Server) serveConfig(w http.ResponseWriter, r *http.Request) {
	site, ok := s.corsSite(w, r)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, configBody{Site: s.siteInfo(site), Limits: s.limitsInfo()})
}

func (s *Server) siteInfo(site Site) siteInfo {
	return siteInfo{Name: site.Name, Greeting: site.Greeting, HoursNote: site.HoursNote}
}

func (s *Server) limitsInfo() limitsInfo {
	return limitsInfo{
		MaxTextBytes:      s.o.MaxTextBytes,
		MessagesPerMinute: s.o.MessagesPerMinute,
		TypingIntervalMS:  s.o.TypingInterval.Milliseconds(),
		MaxUploadBytes:    s.o.MaxUploadBytes,
	}
}

type jsonError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	var body jsonError
	body.Error.Code, body.Error.Message = code, msg
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
