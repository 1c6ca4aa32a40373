package web

import (
	"testing"

	"huiliu/desk"
)

// TestOpenAPIQASchemasMatchStructs is TestOpenAPISchemasMatchStructs for
// the quality reviews' API.
func TestOpenAPIQASchemasMatchStructs(t *testing.T) {
	oaCheckSchemas(t, map[string]any{
		"QAScorecard": desk.QAScorecard{}, "QAScorecardList": qaScorecardList{}, "QAPlan": desk.QAPlan{}, "QAPlanList": qaPlanList{},
		"QARunResult": desk.QARunResult{}, "QAQueue": qaQueueResponse{}, "QAReviewList": qaResultList{}, "QAReviewView": desk.QAReviewView{},
		"QAComment": desk.QAComment{}, "QACalibrationCreated": qaCalibrationCreated{}, "QACalibrationResult": desk.QACalibrationResult{},
	}, map[string]any{
		"QAScorecardRequest": qaScorecardRequest{}, "QAPlanRequest": qaPlanRequest{}, "QARunRequest": qaRunRequest{},
		"QACommentRequest": qaCommentRequest{}, "QASubmitRequest": qaSubmitRequest{}, "QADisputeRequest": qaDisputeRequest{},
		"QASettleRequest": qaSettleRequest{}, "QACalibrationRequest": qaCalibrationRequest{},
	})
}
