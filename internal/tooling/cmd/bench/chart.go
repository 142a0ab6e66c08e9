package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// svgChart draws two panels against N (log scale), for the `count` rows:
// requests per plan, and plan time of every variant.
func svgChart(all []result) string {
	var results []result
	for _, r := range all {
		if r.shape.name == "count" {
			results = append(results, r)
		}
	}
	const w, h, pad = 360, 240, 48
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", 2*w, h+70)
	s.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	panels := []struct {
		title  string
		series []series
	}{
		{"requests per plan", []series{
			{"ghpkg (batched)", "#1f77b4", requestsOf(ghpkg)},
			{"one GET per resource", "#d62728", requestsOf(oneGET)},
		}},
		{"plan wall time (s)", []series{
			{"terraform_data", "#bcbd22", planTimeOf(data)},
			{"floor provider", "#7f7f7f", planTimeOf(floor)},
			{"ghpkg (batched)", "#1f77b4", planTimeOf(ghpkg)},
			{"one GET per resource", "#d62728", planTimeOf(oneGET)},
		}},
	}
	for i, p := range panels {
		s.WriteString(panel(results, p.title, p.series, float64(i*w), w, h, pad))
	}
	s.WriteString("</svg>\n")
	return s.String()
}

// requestsOf and planTimeOf read a variant's plan; NaN when it did not run.
func requestsOf(v variant) func(result) float64 {
	return func(r result) float64 {
		if !r.plan[v].measured {
			return math.NaN()
		}
		return float64(r.plan[v].requests)
	}
}

func planTimeOf(v variant) func(result) float64 {
	return func(r result) float64 {
		if !r.plan[v].measured {
			return math.NaN()
		}
		return r.plan[v].wall.Seconds()
	}
}

type series struct {
	name, color string
	value       func(result) float64
}

func panel(results []result, title string, ss []series, x0 float64, w, h, pad int) string {
	var s strings.Builder
	maxN, maxY := 1.0, 1.0
	latencies := map[time.Duration]bool{}
	for _, r := range results {
		maxN = math.Max(maxN, float64(r.n))
		latencies[r.latency] = true
		for _, se := range ss {
			if v := se.value(r); !math.IsNaN(v) {
				maxY = math.Max(maxY, v)
			}
		}
	}
	px := func(n int) float64 {
		return x0 + float64(pad) + math.Log10(float64(n))/math.Log10(maxN)*float64(w-2*pad)
	}
	py := func(v float64) float64 { return float64(h-pad) - v/maxY*float64(h-2*pad) }
	fmt.Fprintf(&s, `<text x="%.0f" y="16" font-weight="bold">%s</text>`+"\n", x0+float64(pad), title)
	fmt.Fprintf(&s, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", px(1), py(0), px(int(maxN)), py(0))
	fmt.Fprintf(&s, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", px(1), py(0), px(1), py(maxY))
	fmt.Fprintf(&s, `<text x="%.0f" y="%.0f" text-anchor="end">%.0f</text>`+"\n", px(1)-4, py(maxY)+4, maxY)
	for _, r := range results {
		fmt.Fprintf(&s, `<text x="%.0f" y="%.0f" text-anchor="middle">N=%d</text>`+"\n", px(r.n), py(0)+14, r.n)
	}
	legend := 0
	for latency := range latencies {
		dash, style := "", "solid"
		if latency > 0 {
			dash, style = ` stroke-dasharray="4 3"`, "dashed"
		}
		for _, se := range ss {
			var pts []string
			for _, r := range results {
				if r.latency == latency && !math.IsNaN(se.value(r)) {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(r.n), py(se.value(r))))
				}
			}
			fmt.Fprintf(&s, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`+"\n", se.color, dash, strings.Join(pts, " "))
			fmt.Fprintf(&s, `<text x="%.0f" y="%d" fill="%s">%s, %s latency (%s)</text>`+"\n", x0+float64(pad),
				h-pad+30+legend*12, se.color, se.name, latency, style)
			legend++
		}
	}
	return s.String()
}
