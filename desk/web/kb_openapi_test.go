package web

import (
	"reflect"
	"testing"

	"huiliu/kb"
)

// TestOpenAPIKBSchemasMatchStructs is TestOpenAPISchemasMatchStructs for
// the knowledge base's desk API.
func TestOpenAPIKBSchemasMatchStructs(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := oaObject(t, oaObject(t, doc["components"], "components")["schemas"], "components.schemas")
	for _, set := range []struct {
		types    map[string]any
		response bool
	}{
		{map[string]any{
			"KBArticle":     kb.Article{},
			"KBHit":         kb.Hit{},
			"KBHitList":     kbHitsResponse{},
			"KBReplyText":   kbReplyTextResponse{},
			"KBPreview":     kbPreviewResponse{},
			"KBCategory":    kb.Category{},
			"KBSynonymList": kbSynonymsResponse{},
		}, true},
		{map[string]any{
			"KBArticleRequest":  kbArticleRequest{},
			"KBPreviewRequest":  kbPreviewRequest{},
			"KBReviewRequest":   kbReviewRequest{},
			"KBCategoryRequest": kbCategoryRequest{},
			"KBSynonymsRequest": kbSynonymsRequest{},
		}, false},
	} {
		for name, v := range set.types {
			s, ok := schemas[name]
			if !ok {
				t.Errorf("components.schemas.%s is missing", name)
				continue
			}
			oaCompareSchema(t, doc, oaObject(t, s, name), reflect.TypeOf(v), name, set.response)
		}
	}
}
