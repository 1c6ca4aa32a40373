package web

import (
	"reflect"
	"testing"

	"huiliu/desk"
)

// TestOpenAPIReportSchemasMatchStructs is TestOpenAPISchemasMatchStructs
// for the KPI reports.
func TestOpenAPIReportSchemasMatchStructs(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := oaObject(t, oaObject(t, doc["components"], "components")["schemas"], "components.schemas")
	for name, v := range map[string]any{
		"Report":           desk.Report{},
		"ReportFigures":    desk.Figures{},
		"ReportSpan":       desk.Span{},
		"ReportFilter":     desk.KPIFilter{},
		"ReportTrendPoint": desk.TrendPoint{},
		"ReportDay":        desk.DayPoint{},
		"ReportGroup":      desk.GroupRow{},
	} {
		s, ok := schemas[name]
		if !ok {
			t.Errorf("components.schemas.%s is missing", name)
			continue
		}
		oaCompareSchema(t, doc, oaObject(t, s, name), reflect.TypeOf(v), name, true)
	}
}
