package web

import (
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/kb"
)

// cannedFromArticles gives canned replies that stand for an article the
// article's current published text, in the agent's language where it is
// translated: the summary when it has one (a canned reply is short), else
// the whole text, and the help-centre link for a public article. A reply
// whose article is not published keeps its own text.
func (s *Server) cannedFromArticles(c echo.Context, list []desk.CannedReply) error {
	if s.opts.KB == nil {
		return nil
	}
	lang := pickLanguage(c.Request())
	for i, cr := range list {
		if cr.ArticleID == "" {
			continue
		}
		a, err := s.opts.KB.Published(c.Request().Context(), cr.ArticleID, lang, kb.AudienceAgent)
		if desk.CodeOf(err) == desk.CodeNotFound {
			continue
		}
		if err != nil {
			return err
		}
		text := strings.TrimSpace(a.Summary)
		if text == "" {
			text = kb.ReplyText(a)
		}
		if a.Visibility == kb.Public {
			text += "\n" + s.helpLink(c, a)
		}
		list[i].Text = text
	}
	return nil
}

// cannedArticleExists refuses a canned reply for an article that does not
// exist (a typo would silently fall back to the reply's own text forever).
func (s *Server) cannedArticleExists(c echo.Context, id string) error {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil
	}
	k, err := s.knowledge()
	if err != nil {
		return err
	}
	if _, err := k.Get(c.Request().Context(), id); err != nil {
		if desk.CodeOf(err) == desk.CodeNotFound {
			return desk.Errorf(desk.CodeInvalid, "there is no article %q", id)
		}
		return err
	}
	return nil
}
