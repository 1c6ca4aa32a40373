package web

import (
	"reflect"
	"testing"

	"huiliu/desk"
)

// TestOpenAPICSATSchemasMatchStructs is TestOpenAPISchemasMatchStructs for
// the satisfaction surveys' types.
func TestOpenAPICSATSchemasMatchStructs(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := oaObject(t, oaObject(t, doc["components"], "components")["schemas"], "components.schemas")
	for _, set := range []struct {
		types    map[string]any
		response bool
	}{
		{map[string]any{"Survey": desk.Survey{}, "SurveyList": surveysResponse{}, "SurveyAnswered": surveyAnswered{},
			"CSATSettings": desk.CSATSettings{}, "CSATSettingsList": desk.CSATSettingsList{}}, true},
		{map[string]any{"SurveyAnswer": surveyAnswer{}, "CSATSettingsRequest": csatSettingsRequest{}}, false},
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
