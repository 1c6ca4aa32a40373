package desk

// RoutingReader holds the queries of routing rules, agents' routing
// settings and assignment.
type RoutingReader interface{}

// RoutingWriter holds their writes.
type RoutingWriter interface{}
