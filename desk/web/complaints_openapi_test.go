package web

import (
	"testing"

	"huiliu/desk"
)

// TestOpenAPIComplaintSchemasMatchStructs is TestOpenAPISchemasMatchStructs
// for the complaint API's types.
func TestOpenAPIComplaintSchemasMatchStructs(t *testing.T) {
	oaCheckSchemas(t, map[string]any{"Complaint": desk.Complaint{}, "ComplaintList": complaintList{}},
		map[string]any{"ComplaintRequest": complaintRequest{}, "ComplaintUpdateRequest": complaintUpdateRequest{},
			"WithdrawComplaintRequest": withdrawRequest{}})
}
