package desk

import (
	"fmt"
	"time"
)

// KPI roll-up columns. A Counts vector holds one value per column, in this
// order; store/migrations/00037_kpi.sql has a kpi_daily column of each name.
// Times are summed in milliseconds; each histogram counts samples per
// fixed bucket (HistBounds) so medians and p90s come from the buckets
// rather than from the tickets.
const (
	MCreated   = iota // tickets created that day
	MResolved         // tickets whose (last) resolution fell that day
	MFRN              // first responses
	MFRSum            // their times, ms
	MNRN              // next responses (an answer to a later customer message)
	MNRSum            // their times, ms
	MResSum           // resolution times of MResolved, ms
	MFRSLAN           // first-response targets decided (met, or breached)
	MFRSLAMet         // of those, met within the target
	MResSLAN          // resolution targets decided
	MResSLAMet        // of those, met within the target
	MFCR              // resolutions with no reopen and no transfer
	MTransfers        // transfers to another team
	MReopens          // reopens of a resolved ticket
	MFRHist           // first HistBuckets columns: first-response histogram
)

// Histogram and hour-of-day column offsets.
const (
	MNRHist  = MFRHist + HistBuckets
	MResHist = MNRHist + HistBuckets
	MHour    = MResHist + HistBuckets // 24 columns: tickets created per hour of day
	MCount   = MHour + 24
)

// HistBounds are the upper bounds of the time histograms' buckets; the last
// bucket (HistBuckets-1) holds everything slower.
var HistBounds = [...]time.Duration{
	time.Minute, 3 * time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour,
	48 * time.Hour, 72 * time.Hour, 120 * time.Hour,
}

// HistBuckets is the number of buckets of each time histogram.
const HistBuckets = len(HistBounds) + 1

// Counts is one roll-up row's values, indexed by the M* constants.
type Counts [MCount]int64

// KPIColumns are the kpi_daily column names in Counts order.
var KPIColumns = func() []string {
	cols := []string{"created", "resolved", "fr_n", "fr_sum", "nr_n", "nr_sum", "res_sum",
		"fr_sla_n", "fr_sla_met", "res_sla_n", "res_sla_met", "fcr", "transfers", "reopens"}
	for _, h := range []string{"fr", "nr", "res"} {
		for i := range HistBuckets {
			cols = append(cols, fmt.Sprintf("%s_h%d", h, i))
		}
	}
	for i := range 24 {
		cols = append(cols, fmt.Sprintf("hr_%d", i))
	}
	if len(cols) != MCount {
		panic("desk: KPI columns do not match the counters")
	}
	return cols
}()

// Add adds o to c.
func (c *Counts) Add(o *Counts) {
	for i := range c {
		c[i] += o[i]
	}
}

// Sub subtracts o from c.
func (c *Counts) Sub(o *Counts) {
	for i := range c {
		c[i] -= o[i]
	}
}

func (c *Counts) zero() bool { return *c == Counts{} }

// HistBucket is the histogram bucket of duration d.
func HistBucket(d time.Duration) int {
	for i, b := range HistBounds {
		if d <= b {
			return i
		}
	}
	return len(HistBounds)
}

// Percentile estimates quantile q (0 < q ≤ 1) of the histogram starting at
// column first: the nearest-rank sample's bucket, interpolated linearly
// inside it. The open last bucket answers its lower bound. ok is false
// without samples.
func (c *Counts) Percentile(first int, q float64) (d time.Duration, ok bool) {
	var n int64
	for i := range HistBuckets {
		n += c[first+i]
	}
	if n == 0 {
		return 0, false
	}
	rank := int64(q*float64(n) + 0.999999)
	rank = min(max(rank, 1), n)
	var before int64
	for i := range HistBuckets {
		in := c[first+i]
		if before+in < rank {
			before += in
			continue
		}
		var lo time.Duration
		if i > 0 {
			lo = HistBounds[i-1]
		}
		if i == len(HistBounds) {
			return lo, true
		}
		hi := HistBounds[i]
		return lo + time.Duration(float64(hi-lo)*float64(rank-before)/float64(in)), true
	}
	return 0, false
}
