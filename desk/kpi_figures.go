package desk

import "time"

// Figures are the KPIs of one period, computed from its roll-up sums and
// the satisfaction, complaint and quality counts. A figure without data is
// nil (JSON null), so "no data" never reads as zero.
type Figures struct {
	Created   int64 `json:"created"`
	Resolved  int64 `json:"resolved"`
	Transfers int64 `json:"transfers"`
	Reopens   int64 `json:"reopens"`

	// Timeliness (及时率): targets met within the SLA of those decided.
	FirstResponseTimely *float64 `json:"first_response_timely"`
	ResolutionTimely    *float64 `json:"resolution_timely"`
	Timely              *float64 `json:"timely"` // both targets together
	TimelyDecided       int64    `json:"timely_decided"`

	// Times in seconds; medians and p90s come from the histograms.
	FirstResponseAvg    *float64 `json:"first_response_avg_s"`
	FirstResponseMedian *float64 `json:"first_response_median_s"`
	FirstResponseP90    *float64 `json:"first_response_p90_s"`
	NextResponseMedian  *float64 `json:"next_response_median_s"`
	NextResponseP90     *float64 `json:"next_response_p90_s"`
	ResolutionMedian    *float64 `json:"resolution_median_s"`
	ResolutionP90       *float64 `json:"resolution_p90_s"`

	// FirstContactResolution: resolutions with no reopen and no transfer.
	FirstContactResolution *float64 `json:"first_contact_resolution"`

	// Satisfaction (满意度): average score 1–5, share answering 4–5, and
	// answered surveys of those sent.
	SatisfactionAvg *float64 `json:"satisfaction_avg"`
	Satisfied       *float64 `json:"satisfied"`
	SurveyResponse  *float64 `json:"survey_response"`
	SurveysAnswered int64    `json:"surveys_answered"`

	// Complaint rate (投诉率): complaints per 1,000 tickets created and per
	// 10,000 customers on record.
	Complaints          int64    `json:"complaints"`
	ComplaintsPer1000   *float64 `json:"complaints_per_1000_tickets"`
	ComplaintsPer10000C *float64 `json:"complaints_per_10000_customers"`

	QAAvg     *float64 `json:"qa_avg"`
	QAReviews int64    `json:"qa_reviews"`
}

func ratio(n, of int64, scale float64) *float64 {
	if of <= 0 {
		return nil
	}
	v := float64(n) / float64(of) * scale
	return &v
}

func seconds(d time.Duration, ok bool) *float64 {
	if !ok {
		return nil
	}
	v := d.Seconds()
	return &v
}

// figures computes the KPIs from sums c and extras x; customers is the
// number of customers on record.
func figures(c *Counts, x KPIExtra, customers int) Figures {
	f := Figures{
		Created: c[MCreated], Resolved: c[MResolved], Transfers: c[MTransfers], Reopens: c[MReopens],
		FirstResponseTimely:    ratio(c[MFRSLAMet], c[MFRSLAN], 1),
		ResolutionTimely:       ratio(c[MResSLAMet], c[MResSLAN], 1),
		Timely:                 ratio(c[MFRSLAMet]+c[MResSLAMet], c[MFRSLAN]+c[MResSLAN], 1),
		TimelyDecided:          c[MFRSLAN] + c[MResSLAN],
		FirstResponseAvg:       ratio(c[MFRSum], c[MFRN]*1000, 1),
		FirstContactResolution: ratio(c[MFCR], c[MResolved], 1),
		SatisfactionAvg:        ratio(x.ScoreSum, x.SurveysAnswered, 1),
		Satisfied:              ratio(x.Satisfied, x.SurveysAnswered, 1),
		SurveyResponse:         ratio(x.SurveysAnswered, x.SurveysSent, 1),
		SurveysAnswered:        x.SurveysAnswered,
		Complaints:             x.Complaints,
		ComplaintsPer1000:      ratio(x.Complaints, c[MCreated], 1000),
		ComplaintsPer10000C:    ratio(x.Complaints, int64(customers), 10000),
		QAAvg:                  ratio(x.ReviewSum, x.Reviews, 1),
		QAReviews:              x.Reviews,
	}
	f.FirstResponseMedian = seconds(c.Percentile(MFRHist, 0.5))
	f.FirstResponseP90 = seconds(c.Percentile(MFRHist, 0.9))
	f.NextResponseMedian = seconds(c.Percentile(MNRHist, 0.5))
	f.NextResponseP90 = seconds(c.Percentile(MNRHist, 0.9))
	f.ResolutionMedian = seconds(c.Percentile(MResHist, 0.5))
	f.ResolutionP90 = seconds(c.Percentile(MResHist, 0.9))
	return f
}
