package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"huiliu/desk"
	"huiliu/i18n"
)

// The dashboard's charts are inline SVG written here: no script, no
// library, readable with the page's fonts (Chinese labels included), each
// with a title and a description for screen readers; the page shows the
// same numbers in tables.

// esc escapes text for SVG (the chart is handed to the template as HTML).
func esc(s string) string { return template.HTMLEscapeString(s) }

func svgOpen(b *strings.Builder, id string, w, h int, title, desc, class string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart %s" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" preserveAspectRatio="xMidYMid meet">`,
		class, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
}

// sparkline draws the trend of one seed KPI over the last periods; a
// period without data leaves a gap.
func sparkline(lang, id, name string, spans []desk.TrendPoint, vals []*float64, kind string) template.HTML {
	const w, h, pad = 160, 40, 4
	lo, hi := 0.0, 0.0
	first := true
	for _, v := range vals {
		if v == nil {
			continue
		}
		if first {
			lo, hi, first = *v, *v, false
		}
		lo, hi = min(lo, *v), max(hi, *v)
	}
	if hi == lo {
		hi = lo + 1
	}
	var desc []string
	for i, v := range vals {
		desc = append(desc, spans[i].From.Format("01-02")+" "+format(lang, kind, v))
	}
	var b strings.Builder
	svgOpen(&b, id, w, h, i18n.T(lang, "kpi.chart.trend", "name", name), strings.Join(desc, "; "), "spark")
	step := float64(w-2*pad) / float64(max(len(vals)-1, 1))
	var pts []string
	flush := func() {
		if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline fill="none" stroke="currentColor" stroke-width="2" points="%s"/>`, strings.Join(pts, " "))
		}
		pts = nil
	}
	for i, v := range vals {
		if v == nil {
			flush()
			continue
		}
		x := pad + step*float64(i)
		y := float64(h-pad) - (*v-lo)/(hi-lo)*float64(h-2*pad)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="currentColor"><title>%s</title></circle>`, x, y, esc(desc[i]))
	}
	flush()
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// daysChart draws tickets created and resolved per day of the period.
func daysChart(lang string, days []desk.DayPoint) template.HTML {
	const h, top, bottom, left = 180, 16, 28, 36
	n := max(len(days), 1)
	slot := max(min(600/n, 48), 6)
	w := left + slot*n + 8
	var peak int64 = 1
	for _, d := range days {
		peak = max(peak, d.Created, d.Resolved)
	}
	created, resolved := i18n.T(lang, "kpi.m.created"), i18n.T(lang, "kpi.m.resolved")
	var b strings.Builder
	svgOpen(&b, "chart-days", w, h, i18n.T(lang, "kpi.chart.days"), i18n.T(lang, "kpi.chart.days_desc"), "bars")
	plot := float64(h - top - bottom)
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="end">%d</text>`, left-4, top+4, peak)
	fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="end">0</text>`, left-4, h-bottom)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="grid"/>`, left, h-bottom, w-4, h-bottom)
	bar := max(slot/2-2, 2)
	every := max(n/10, 1)
	for i, d := range days {
		x := left + i*slot + 2
		for j, v := range []int64{d.Created, d.Resolved} {
			bh := float64(v) / float64(peak) * plot
			label := []string{created, resolved}[j]
			fmt.Fprintf(&b, `<rect x="%d" y="%.1f" width="%d" height="%.1f" class="s%d"><title>%s %s: %d</title></rect>`,
				x+j*bar, float64(h-bottom)-bh, bar, bh, j, d.Day.Format("01-02"), esc(label), v)
		}
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="middle">%s</text>`, x+bar, h-bottom+16, d.Day.Format("01-02"))
		}
	}
	fmt.Fprintf(&b, `<rect x="%d" y="2" width="10" height="10" class="s0"/><text x="%d" y="11" class="axis">%s</text>`, left, left+14, esc(created))
	fmt.Fprintf(&b, `<rect x="%d" y="2" width="10" height="10" class="s1"/><text x="%d" y="11" class="axis">%s</text>`, left+100, left+114, esc(resolved))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// heatChart draws tickets created per weekday and hour.
func heatChart(lang string, how [][]int64) template.HTML {
	const cell, left, top = 20, 44, 18
	w, h := left+24*cell+4, top+7*cell+4
	var peak int64 = 1
	for _, row := range how {
		for _, v := range row {
			peak = max(peak, v)
		}
	}
	var b strings.Builder
	svgOpen(&b, "chart-heat", w, h, i18n.T(lang, "kpi.chart.heat"), i18n.T(lang, "kpi.chart.heat_desc"), "heat")
	for hr := 0; hr < 24; hr += 3 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="middle">%d</text>`, left+hr*cell+cell/2, top-5, hr)
	}
	for wd, row := range how {
		day := i18n.T(lang, "kpi.wd."+strconv.Itoa(wd))
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="end">%s</text>`, left-4, top+wd*cell+cell-6, esc(day))
		for hr, v := range row {
			op := 0.06 + 0.94*float64(v)/float64(peak)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="cell" fill-opacity="%.2f"><title>%s %02d:00 — %d</title></rect>`,
				left+hr*cell, top+wd*cell, cell-2, cell-2, op, esc(day), hr, v)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
