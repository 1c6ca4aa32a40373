package web

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/channels"
	"huiliu/desk"
)

// openAPIMethods are the operation keys of an OpenAPI path item.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	return doc
}

// obj returns v as a JSON object, failing the test with what it is if not.
func oaObject(t *testing.T, v any, where string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: want a JSON object, got %T", where, v)
	}
	return m
}

func TestOpenAPIDocument(t *testing.T) {
	doc := loadOpenAPI(t)
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.0.") {
		t.Errorf("openapi = %q, want 3.0.x", v)
	}
	info := oaObject(t, doc["info"], "info")
	for _, k := range []string{"title", "version"} {
		if s, _ := info[k].(string); s == "" {
			t.Errorf("info.%s is missing", k)
		}
	}
	if len(oaObject(t, doc["paths"], "paths")) == 0 {
		t.Error("paths is empty")
	}
	comps := oaObject(t, doc["components"], "components")
	schemas := oaObject(t, comps["schemas"], "components.schemas")
	for _, name := range []string{"Ticket", "TicketPage", "Message", "Contact", "Identity", "Agent", "Team",
		"Token", "AuditEntry", "Event", "Receipt", "Error"} {
		if _, ok := schemas[name]; !ok {
			t.Errorf("components.schemas.%s is missing", name)
		}
	}
	schemes := oaObject(t, comps["securitySchemes"], "components.securitySchemes")

	// Every operation: a summary, at least one response, a unique
	// operationId, declared path parameters, known security schemes.
	ids := map[string]string{}
	checkSecurity := func(v any, where string) {
		reqs, _ := v.([]any)
		for _, r := range reqs {
			for name := range oaObject(t, r, where) {
				if _, ok := schemes[name]; !ok {
					t.Errorf("%s: security scheme %q is not in components.securitySchemes", where, name)
				}
			}
		}
	}
	checkSecurity(doc["security"], "security")
	pathParam := regexp.MustCompile(`\{([^}]+)\}`)
	for path, item := range oaObject(t, doc["paths"], "paths") {
		pi := oaObject(t, item, path)
		for _, m := range openAPIMethods {
			v, ok := pi[m]
			if !ok {
				continue
			}
			where := strings.ToUpper(m) + " " + path
			o := oaObject(t, v, where)
			if s, _ := o["summary"].(string); s == "" {
				t.Errorf("%s: no summary", where)
			}
			if rs, _ := o["responses"].(map[string]any); len(rs) == 0 {
				t.Errorf("%s: no responses", where)
			}
			id, _ := o["operationId"].(string)
			if prev, dup := ids[id]; dup && id != "" {
				t.Errorf("%s: operationId %q is also used by %s", where, id, prev)
			}
			ids[id] = where
			checkSecurity(o["security"], where)
			declared := map[string]bool{}
			for _, list := range []any{pi["parameters"], o["parameters"]} {
				ps, _ := list.([]any)
				for _, p := range ps {
					p := oaResolve(t, doc, oaObject(t, p, where+" parameter"))
					if p["in"] == "path" {
						name, _ := p["name"].(string)
						declared[name] = true
					}
				}
			}
			for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s: path parameter %q is not declared", where, m[1])
				}
			}
		}
	}
}

// resolve follows a $ref (if any) to its target object.
func oaResolve(t *testing.T, doc, v map[string]any) map[string]any {
	t.Helper()
	ref, ok := v["$ref"].(string)
	if !ok {
		return v
	}
	target, err := oaLookup(doc, ref)
	if err != nil {
		t.Fatalf("$ref %s: %v", ref, err)
	}
	return oaObject(t, target, ref)
}

// lookupRef resolves a local JSON pointer reference such as
// "#/components/schemas/Ticket".
func oaLookup(doc map[string]any, ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("only local references (#/...) are used here")
	}
	var cur any = doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q is not inside an object", tok)
		}
		if cur, ok = m[tok]; !ok {
			return nil, fmt.Errorf("%q does not exist", tok)
		}
	}
	return cur, nil
}

// routeKey is "METHOD /path" with OpenAPI-style {params}.
func oaRouteKey(method, echoPath string) string {
	segs := strings.Split(echoPath, "/")
	for i, s := range segs {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			segs[i] = "{" + name + "}"
		}
	}
	return strings.ToUpper(method) + " " + strings.Join(segs, "/")
}

// oaRegisteredRoutes are the routes a client can call, without echo's
// internal catch-alls (group middleware registers "route not found" routes).
func oaRegisteredRoutes(routes []*echo.Route) map[string]bool {
	got := map[string]bool{}
	for _, r := range routes {
		if r.Method == echo.RouteNotFound || strings.HasSuffix(r.Path, "/*") || r.Path == "*" {
			continue
		}
		// The document covers the API and the probes; the desk's pages and
		// its websocket are for browsers (docs/api.md describes /desk/ws).
		if !strings.HasPrefix(r.Path, "/api/") && !slices.Contains([]string{"/healthz", "/readyz", "/metrics"}, r.Path) {
			continue
		}
		got[oaRouteKey(r.Method, r.Path)] = true
	}
	return got
}

func oaDocumentedRoutes(t *testing.T, doc map[string]any) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for path, item := range oaObject(t, doc["paths"], "paths") {
		for k := range oaObject(t, item, path) {
			if slices.Contains(openAPIMethods, k) {
				got[strings.ToUpper(k)+" "+path] = true
			}
		}
	}
	return got
}

// TestOpenAPICoversRoutes fails when a route is not documented or the
// document describes a route that is not registered.
func TestOpenAPICoversRoutes(t *testing.T) {
	routes := oaRegisteredRoutes(New(Options{MetricsToken: "t"}).Routes()) // /metrics exists only with a token
	if len(routes) == 0 {
		t.Fatal("the server registered no routes")
	}
	documented := oaDocumentedRoutes(t, loadOpenAPI(t))
	var missing, stale []string
	for r := range routes {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for r := range documented {
		if !routes[r] {
			stale = append(stale, r)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	for _, r := range missing {
		t.Errorf("route %s is not in openapi.json", r)
	}
	for _, r := range stale {
		t.Errorf("openapi.json documents %s, which is not a registered route", r)
	}
}

func TestOpenAPIRouteMatching(t *testing.T) {
	// The helpers themselves: a route in one set only must show up.
	routes := oaRegisteredRoutes([]*echo.Route{
		{Method: http.MethodGet, Path: "/api/v1/tickets/:id/messages"},
		{Method: echo.RouteNotFound, Path: "/api/v1"},
		{Method: http.MethodGet, Path: "/api/v1/*"},
	})
	want := map[string]bool{"GET /api/v1/tickets/{id}/messages": true}
	if !reflect.DeepEqual(routes, want) {
		t.Errorf("oaRegisteredRoutes = %v, want %v", routes, want)
	}
	doc := map[string]any{"paths": map[string]any{
		"/a/{id}": map[string]any{"parameters": []any{}, "get": map[string]any{}, "patch": map[string]any{}},
	}}
	if got := oaDocumentedRoutes(t, doc); !reflect.DeepEqual(got, map[string]bool{"GET /a/{id}": true, "PATCH /a/{id}": true}) {
		t.Errorf("oaDocumentedRoutes = %v", got)
	}
}

func TestOpenAPIRefsResolve(t *testing.T) {
	doc := loadOpenAPI(t)
	var refs int
	var walk func(v any, where string)
	walk = func(v any, where string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"]; ok {
				refs++
				s, _ := ref.(string)
				if !strings.HasPrefix(s, "#/components/") {
					t.Errorf("%s: $ref %q does not point into #/components/", where, ref)
				} else if _, err := oaLookup(doc, s); err != nil {
					t.Errorf("%s: $ref %q does not resolve: %v", where, s, err)
				}
			}
			for k, e := range v {
				walk(e, where+"/"+k)
			}
		case []any:
			for i, e := range v {
				walk(e, fmt.Sprintf("%s/%d", where, i))
			}
		}
	}
	walk(doc, "#")
	if refs == 0 {
		t.Error("no $ref found; the walk is broken or the document inlines everything")
	}
	if _, err := oaLookup(doc, "#/components/schemas/NoSuchSchema"); err == nil {
		t.Error("lookupRef resolved a component that does not exist")
	}
}

// TestOpenAPISchemasMatchStructs keeps the schemas honest: each one has
// exactly the JSON fields of the Go type it describes, with a compatible
// type, and (for responses) lists as required exactly the fields that are
// always encoded (no omitempty).
func TestOpenAPISchemasMatchStructs(t *testing.T) {
	responses := map[string]any{
		"Ticket":              desk.Ticket{},
		"TicketPage":          desk.TicketPage{},
		"TicketWithContact":   ticketResponse{},
		"Message":             desk.Message{},
		"MessageList":         messagesResponse{},
		"Contact":             desk.Contact{},
		"ContactList":         contactsResponse{},
		"Identity":            desk.Identity{},
		"Agent":               desk.Agent{},
		"AgentList":           agentsResponse{},
		"Team":                desk.Team{},
		"TeamList":            teamsResponse{},
		"Token":               desk.Token{},
		"CreatedToken":        createTokenResponse{},
		"AuditEntry":          desk.AuditEntry{},
		"AuditPage":           auditResponse{},
		"Event":               desk.Event{},
		"Receipt":             channels.Receipt{},
		"Error":               errorBody{},
		"LoginResponse":       loginResponse{},
		"Me":                  meResponse{},
		"SystemEvent":         desk.SystemEvent{},
		"InboxCounts":         desk.InboxCounts{},
		"CannedReply":         desk.CannedReply{},
		"CannedReplyList":     cannedResponse{},
		"Site":                desk.Site{},
		"SiteList":            sitesResponse{},
		"TicketSLA":           desk.SLAView{},
		"Followup":            desk.Followup{},
		"SLACalendar":         desk.SLACalendar{},
		"SLACalendarList":     slaCalendarsResponse{},
		"SLAPolicy":           desk.SLAPolicy{},
		"SLAPolicyList":       slaPoliciesResponse{},
		"AgentCheck":          agentCheckResponse{},
		"FactsView":           desk.FactsView{},
		"CustomerFacts":       desk.CustomerFacts{},
		"CustomerClaim":       desk.CustomerClaim{},
		"Verification":        desk.Verification{},
		"DisclosureCheck":     desk.DisclosureCheck{},
		"FactPolicySettings":  desk.FactPolicySettings{},
		"ImportSummary":       desk.ImportSummary{},
		"OfficialChannel":     desk.OfficialChannel{},
		"OfficialChannelList": officialResponse{},
		"Call":                callView{},
	}
	requests := map[string]any{
		"LoginRequest":               loginRequest{},
		"PostMessageRequest":         postMessageRequest{},
		"InboundRequest":             inboundRequest{},
		"Party":                      channels.Party{},
		"CreateAgentRequest":         createAgentRequest{},
		"ChangeAgentRequest":         changeAgentRequest{},
		"CreateTeamRequest":          createTeamRequest{},
		"CreateTokenRequest":         createTokenRequest{},
		"ChangeTicketRequest":        changeTicketRequest{},
		"ConfirmOutcomeRequest":      confirmOutcomeRequest{},
		"CreateCannedReplyRequest":   createCannedRequest{},
		"SiteRequest":                siteRequest{},
		"FollowupRequest":            followupRequest{},
		"SLACalendarRequest":         slaCalendarRequest{},
		"SLAPolicyRequest":           slaPolicyRequest{},
		"ClaimRequest":               claimRequest{},
		"KnowledgeRequest":           knowledgeRequest{},
		"DisclosureRequest":          disclosureRequest{},
		"FactPolicyRequest":          factPolicyRequest{},
		"RevealRequest":              revealRequest{},
		"SetOfficialChannelsRequest": setOfficialRequest{},
		"LogCallRequest":             logCallRequest{},
		"WrapUpRequest":              wrapUpRequest{},
	}
	oaCheckSchemas(t, responses, requests)
}

// oaCheckSchemas compares each named schema of the document with the Go
// type the API answers (responses) or decodes (requests).
func oaCheckSchemas(t *testing.T, responses, requests map[string]any) {
	t.Helper()
	doc := loadOpenAPI(t)
	schemas := oaObject(t, oaObject(t, doc["components"], "components")["schemas"], "components.schemas")
	for _, set := range []struct {
		types    map[string]any
		response bool
	}{{responses, true}, {requests, false}} {
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

type oaField struct {
	typ       reflect.Type
	omitempty bool
}

// oaJSONFields lists the fields encoding/json writes for struct type st.
func oaJSONFields(st reflect.Type) map[string]oaField {
	fs := map[string]oaField{}
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range oaJSONFields(f.Type) {
				fs[k] = v
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		flags := strings.Split(opts, ",")
		fs[name] = oaField{typ: f.Type, omitempty: slices.Contains(flags, "omitempty") || slices.Contains(flags, "omitzero")}
	}
	return fs
}

// oaFlatten merges a schema with its $ref and allOf parts into one view of
// properties, required names and type.
func oaFlatten(t *testing.T, doc, s map[string]any) (props map[string]any, required map[string]bool, typ string) {
	t.Helper()
	s = oaResolve(t, doc, s)
	props, required = map[string]any{}, map[string]bool{}
	typ, _ = s["type"].(string)
	if p, ok := s["properties"].(map[string]any); ok {
		for k, v := range p {
			props[k] = v
		}
	}
	if r, ok := s["required"].([]any); ok {
		for _, n := range r {
			name, _ := n.(string)
			required[name] = true
		}
	}
	if all, ok := s["allOf"].([]any); ok {
		for i, part := range all {
			p, r, pt := oaFlatten(t, doc, oaObject(t, part, fmt.Sprintf("allOf[%d]", i)))
			for k, v := range p {
				props[k] = v
			}
			for k := range r {
				required[k] = true
			}
			if typ == "" {
				typ = pt
			}
		}
	}
	return props, required, typ
}

var (
	oaTimeType = reflect.TypeFor[time.Time]()
	oaRawType  = reflect.TypeFor[json.RawMessage]()
	// Types with their own text form (desk.SLADuration) encode as strings.
	oaTextType = reflect.TypeFor[encoding.TextMarshaler]()
)

// oaCompareSchema checks schema s against Go type gt, recursing into nested
// structs, slices and references.
func oaCompareSchema(t *testing.T, doc, s map[string]any, gt reflect.Type, where string, response bool) {
	t.Helper()
	for gt.Kind() == reflect.Pointer {
		gt = gt.Elem()
	}
	props, required, typ := oaFlatten(t, doc, s)
	want := ""
	switch {
	case gt == oaTimeType, gt.Implements(oaTextType):
		want = "string"
	case gt == oaRawType:
		want = "object"
	case gt.Kind() == reflect.String:
		want = "string"
	case gt.Kind() == reflect.Bool:
		want = "boolean"
	case gt.Kind() >= reflect.Int && gt.Kind() <= reflect.Uint64:
		want = "integer"
	case gt.Kind() == reflect.Float32 || gt.Kind() == reflect.Float64:
		want = "number"
	case gt.Kind() == reflect.Slice:
		want = "array"
	case gt.Kind() == reflect.Struct, gt.Kind() == reflect.Map && gt.Key().Kind() == reflect.String:
		want = "object"
	}
	if want == "" {
		t.Errorf("%s: Go type %s has no JSON mapping in this test", where, gt)
		return
	}
	if typ != want {
		t.Errorf("%s: schema type %q, Go type %s encodes as %q", where, typ, gt, want)
		return
	}
	switch {
	case want == "array":
		items, ok := s["items"].(map[string]any)
		if !ok {
			items, _ = oaResolve(t, doc, s)["items"].(map[string]any)
		}
		if items == nil {
			t.Errorf("%s: array schema without items", where)
			return
		}
		oaCompareSchema(t, doc, items, gt.Elem(), where+"[]", response)
	case gt.Kind() == reflect.Map:
		values, ok := oaResolve(t, doc, s)["additionalProperties"].(map[string]any)
		if !ok {
			t.Errorf("%s: map schema without additionalProperties", where)
			return
		}
		oaCompareSchema(t, doc, values, gt.Elem(), where+"{}", response)
	case want == "object" && gt.Kind() == reflect.Struct && gt != oaTimeType:
		fields := oaJSONFields(gt)
		for name, f := range fields {
			p, ok := props[name]
			if !ok {
				t.Errorf("%s: field %q of %s is not in the schema", where, name, gt)
				continue
			}
			if response && required[name] == f.omitempty {
				if f.omitempty {
					t.Errorf("%s.%s: listed as required but the field is omitempty", where, name)
				} else {
					t.Errorf("%s.%s: always present in responses but not listed as required", where, name)
				}
			}
			oaCompareSchema(t, doc, oaObject(t, p, where+"."+name), f.typ, where+"."+name, response)
		}
		for name := range props {
			if _, ok := fields[name]; !ok {
				t.Errorf("%s: schema property %q is not a JSON field of %s", where, name, gt)
			}
		}
		if !response {
			// Requests are decoded strictly: unknown fields are refused.
			if ap, ok := oaResolve(t, doc, s)["additionalProperties"].(bool); !ok || ap {
				t.Errorf("%s: request schema should say additionalProperties: false", where)
			}
		}
	}
}

// TestOpenAPIServed checks that the endpoint serves the embedded document.
func TestOpenAPIServed(t *testing.T) {
	rec := httptest.NewRecorder()
	New(Options{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json = %d, want 200", rec.Code)
	}
	if ct := rec.Header().Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
		t.Errorf("Content-Type = %q", ct)
	}
	if rec.Body.String() != string(openAPIDoc) {
		t.Error("the served document differs from openapi.json")
	}
}
