package web

import (
	"testing"

	"huiliu/kb"
)

// TestOpenAPIKBSchemasMatchStructs is TestOpenAPISchemasMatchStructs for
// the knowledge base's desk API.
func TestOpenAPIKBSchemasMatchStructs(t *testing.T) {
	oaCheckSchemas(t, map[string]any{
		"KBArticle":     kb.Article{},
		"KBHit":         kb.Hit{},
		"KBHitList":     kbHitsResponse{},
		"KBReplyText":   kbReplyTextResponse{},
		"KBPreview":     kbPreviewResponse{},
		"KBCategory":    kb.Category{},
		"KBSynonymList": kbSynonymsResponse{},
	}, map[string]any{
		"KBArticleRequest":  kbArticleRequest{},
		"KBPreviewRequest":  kbPreviewRequest{},
		"KBReviewRequest":   kbReviewRequest{},
		"KBCategoryRequest": kbCategoryRequest{},
		"KBSynonymsRequest": kbSynonymsRequest{},
	})
}
