package web

import (
	"testing"

	"huiliu/desk"
)

// TestOpenAPIRoutingSchemasMatchStructs is TestOpenAPISchemasMatchStructs
// for the routing API's types.
func TestOpenAPIRoutingSchemasMatchStructs(t *testing.T) {
	oaCheckSchemas(t, map[string]any{
		"RoutingRule":         desk.RoutingRule{},
		"RoutingRuleList":     routingRulesResponse{},
		"RuleConditions":      desk.RuleConditions{},
		"RuleHours":           desk.RuleHours{},
		"TeamRouting":         teamRoutingJSON{},
		"TeamRoutingList":     teamRoutingResponse{},
		"AgentRouting":        desk.AgentRouting{},
		"SegmentImportResult": segmentsResponse{},
	}, map[string]any{
		"RoutingRuleRequest":         routingRuleRequest{},
		"ReorderRoutingRulesRequest": reorderRequest{},
		"TeamRoutingRequest":         teamRoutingRequest{},
		"AgentRoutingRequest":        agentRoutingRequest{},
		"SegmentImportRequest":       segmentsRequest{},
		"Segment":                    desk.Segment{},
	})
}
