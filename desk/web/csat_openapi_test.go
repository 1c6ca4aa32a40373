package web

import (
	"testing"

	"huiliu/desk"
)

// TestOpenAPICSATSchemasMatchStructs is TestOpenAPISchemasMatchStructs for
// the satisfaction surveys' types.
func TestOpenAPICSATSchemasMatchStructs(t *testing.T) {
	oaCheckSchemas(t, map[string]any{"Survey": desk.Survey{}, "SurveyList": surveysResponse{}, "SurveyAnswered": surveyAnswered{},
		"CSATSettings": desk.CSATSettings{}, "CSATSettingsList": desk.CSATSettingsList{}},
		map[string]any{"SurveyAnswer": surveyAnswer{}, "CSATSettingsRequest": csatSettingsRequest{}})
}
