package web

import (
	"reflect"
	"testing"

	"huiliu/desk"
)

// TestOpenAPIQASchemasMatchStructs is TestOpenAPISchemasMatchStructs for
// the quality reviews' API.
func TestOpenAPIQASchemasMatchStructs(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := oaObject(t, oaObject(t, doc["components"], "components")["schemas"], "components.schemas")
	for _, set := range []struct {
		types    map[string]any
		response bool
	}{
		{map[string]any{
			"QAScorecard": desk.QAScorecard{}, "QAScorecardList": qaScorecardList{}, "QAPlan": desk.QAPlan{}, "QAPlanList": qaPlanList{},
			"QARunResult": desk.QARunResult{}, "QAQueue": qaQueueResponse{}, "QAReviewList": qaResultList{}, "QAReviewView": desk.QAReviewView{},
			"QAComment": desk.QAComment{}, "QACalibrationCreated": qaCalibrationCreated{}, "QACalibrationResult": desk.QACalibrationResult{},
		}, true},
		{map[string]any{
			"QAScorecardRequest": qaScorecardRequest{}, "QAPlanRequest": qaPlanRequest{}, "QARunRequest": qaRunRequest{},
			"QACommentRequest": qaCommentRequest{}, "QASubmitRequest": qaSubmitRequest{}, "QADisputeRequest": qaDisputeRequest{},
			"QASettleRequest": qaSettleRequest{}, "QACalibrationRequest": qaCalibrationRequest{},
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
