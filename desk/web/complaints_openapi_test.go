package web

import (
	"reflect"
	"testing"

	"huiliu/desk"
)

// TestOpenAPIComplaintSchemasMatchStructs is TestOpenAPISchemasMatchStructs
// for the complaint API's types.
func TestOpenAPIComplaintSchemasMatchStructs(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := oaObject(t, oaObject(t, doc["components"], "components")["schemas"], "components.schemas")
	for _, set := range []struct {
		types    map[string]any
		response bool
	}{
		{map[string]any{"Complaint": desk.Complaint{}, "ComplaintList": complaintList{}}, true},
		{map[string]any{"ComplaintRequest": complaintRequest{}, "ComplaintUpdateRequest": complaintUpdateRequest{},
			"WithdrawComplaintRequest": withdrawRequest{}}, false},
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
