package web

import (
	"reflect"
	"testing"

	"huiliu/desk"
)

// TestOpenAPIRoutingSchemasMatchStructs is TestOpenAPISchemasMatchStructs
// for the routing API's types.
func TestOpenAPIRoutingSchemasMatchStructs(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := oaObject(t, oaObject(t, doc["components"], "components")["schemas"], "components.schemas")
	for _, set := range []struct {
		types    map[string]any
		response bool
	}{
		{map[string]any{
			"RoutingRule":         desk.RoutingRule{},
			"RoutingRuleList":     routingRulesResponse{},
			"RuleConditions":      desk.RuleConditions{},
			"RuleHours":           desk.RuleHours{},
			"TeamRouting":         teamRoutingJSON{},
			"TeamRoutingList":     teamRoutingResponse{},
			"AgentRouting":        desk.AgentRouting{},
			"SegmentImportResult": segmentsResponse{},
		}, true},
		{map[string]any{
			"RoutingRuleRequest":         routingRuleRequest{},
			"ReorderRoutingRulesRequest": reorderRequest{},
			"TeamRoutingRequest":         teamRoutingRequest{},
			"AgentRoutingRequest":        agentRoutingRequest{},
			"SegmentImportRequest":       segmentsRequest{},
			"Segment":                    desk.Segment{},
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
