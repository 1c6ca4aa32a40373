package desk

// SLAReader holds the queries of SLA policies, ticket deadlines and
// escalations.
type SLAReader interface{}

// SLAWriter holds their writes.
type SLAWriter interface{}
