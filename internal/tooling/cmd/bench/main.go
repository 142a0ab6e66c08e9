// Command bench measures ghpkg against two floors: a terraform-plugin-framework
// provider with the same schema that sends no request (floorprovider/, the
// fair floor) and Terraform's builtin terraform_data (no plugin protocol at
// all). For each row it applies N resources and plans them, all variants in
// turn, at zero and at a GitHub-like per-request latency, and reports wall
// time, CPU, peak memory and requests. It writes BENCHMARKS.md and a chart.
// Run it with `make bench` (BENCH_ROWS=... for a subset); it needs no network.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

const token = "bench-classic-token"

// defaultRows are the rows of BENCHMARKS.md: the count rows at every
// latency (10000 planned once), the other shapes once at 0 ms, to keep
// make bench within about half an hour on 2 cores.
const defaultRows = "count:1,count:100,count:1000,spread:1000:1:0s,org:1000:1:0s,versions:1000:1:0s,for_each:1000:1:0s,count:10000:1"

func main() {
	providerDir := flag.String("provider-dir", "bin", "directory holding the built terraform-provider-ghpkg")
	rows := flag.String("rows", defaultRows, "rows to run, shape:N, shape:N:runs or shape:N:runs:latency (0 runs: the default), comma-separated; shapes: "+strings.Join(shapeNames(), ", "))
	latencies := flag.String("latencies", "0s,100ms", "per-request latencies of the emulator")
	runs := flag.Int("runs", 3, "plans per variant; the table shows medians")
	bigN := flag.Int("big-n", 10000, "from this N on, rows plan -big-runs times, apply only at the first latency and skip the one-GET variant")
	bigRuns := flag.Int("big-runs", 1, "plans per variant for rows of -big-n or more")
	out := flag.String("out", "BENCHMARKS.md", "markdown report to write")
	chart := flag.String("chart", "BENCHMARKS.svg", "chart to write")
	baselineDir := flag.String("baseline-dir", "", "a directory with another build of terraform-provider-ghpkg (say, of main) to plan beside this one, as \"baseline\"")
	profileDir := flag.String("profile-dir", "", "after each row's first latency, plan the floor and ghpkg once more with CPU and allocation profiles written here")
	flag.Parse()

	specs, err := parseRows(*rows)
	if err != nil {
		log.Fatal(err)
	}
	var lats []time.Duration
	for _, l := range strings.Split(*latencies, ",") {
		d, err := time.ParseDuration(l)
		if err != nil {
			log.Fatal(err)
		}
		lats = append(lats, d)
	}
	floorDir, cleanup, err := buildFloor(*baselineDir)
	if err != nil {
		log.Fatal(err)
	}
	defer cleanup()
	b := &bench{providerDir: *providerDir, floorDir: floorDir, baseline: *baselineDir != "", runs: *runs, bigN: *bigN, bigRuns: *bigRuns, profileDir: *profileDir}
	startup, err := b.startup()
	if err != nil {
		log.Fatal(err)
	}
	var results []result
	for _, spec := range specs {
		rowLats := lats
		if spec.latency != nil {
			rowLats = []time.Duration{*spec.latency}
		}
		rs, err := b.measure(spec, rowLats)
		if err != nil {
			log.Fatalf("%s N=%d: %v", spec.shape.name, spec.n, err)
		}
		for _, r := range rs {
			fmt.Println(r.planRow())
			fmt.Println(r.costRow())
		}
		results = append(results, rs...)
		// Written after every row, so that a run stopped early keeps what it measured.
		write(b, results, startup, *out, *chart)
	}
	fmt.Println(write(b, results, startup, *out, *chart))
}

func write(b *bench, results []result, s startup, out, chart string) string {
	report := b.report(results, s, strings.Join(os.Args[1:], " "))
	if err := os.WriteFile(out, []byte(report), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(chart, []byte(svgChart(results)), 0o644); err != nil {
		log.Fatal(err)
	}
	return report
}

type rowSpec struct {
	shape shape
	n     int
	runs  int // 0: -runs, or -big-runs from -big-n on
	// latency, when set, replaces -latencies for this row.
	latency *time.Duration
}

func parseRows(rows string) ([]rowSpec, error) {
	var specs []rowSpec
	for _, r := range strings.Split(rows, ",") {
		parts := strings.Split(strings.TrimSpace(r), ":")
		s, known := shapes[parts[0]]
		var n, runs int
		var err error
		if len(parts) >= 2 {
			n, err = strconv.Atoi(parts[1])
		}
		if len(parts) >= 3 && err == nil {
			runs, err = strconv.Atoi(parts[2])
		}
		var latency *time.Duration
		if len(parts) == 4 && err == nil {
			var d time.Duration
			d, err = time.ParseDuration(parts[3])
			latency = &d
		}
		if len(parts) < 2 || len(parts) > 4 || !known || err != nil || n < 1 || runs < 0 {
			return nil, fmt.Errorf("row %q: want shape:N[:runs[:latency]] with a shape of %s", r, strings.Join(shapeNames(), ", "))
		}
		specs = append(specs, rowSpec{s, n, runs, latency})
	}
	return specs, nil
}

func shapeNames() []string {
	var names []string
	for name := range shapes {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

type bench struct {
	providerDir, floorDir, profileDir string
	runs, bigN, bigRuns               int
	// baseline: another ghpkg build is planned beside this one.
	baseline bool
}

// variant names one configuration a row plans.
type variant int

const (
	data     variant = iota // terraform_data, builtin
	floor                   // the floor provider
	ghpkg                   // ghpkg, batched refresh (the default)
	oneGET                  // ghpkg with batch_refresh = false
	baseline                // another ghpkg build (-baseline-dir), batched
	variants                // how many
)

var variantNames = [variants]string{"terraform_data", "floor", "ghpkg", "one-GET", "baseline"}

// cost is what one variant's plans (medians) or apply cost.
type cost struct {
	wall, cpu   time.Duration // cpu: Terraform and provider together
	providerCPU time.Duration
	peakRSS     int64 // bytes, the provider process
	requests    int
	measured    bool
}

// terraformCPU is Terraform's own part of the CPU time.
func (c cost) terraformCPU() time.Duration { return c.cpu - c.providerCPU }

// result is one row at one latency.
type result struct {
	shape   shape
	n       int
	latency time.Duration
	runs    int
	plan    [variants]cost
	apply   [variants]cost
}
