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

// defaultRows are the rows of BENCHMARKS.md: shape:N.
const defaultRows = "count:1,count:100,count:1000,count:10000,spread:1000,org:1000,versions:1000,for_each:1000"

func main() {
	providerDir := flag.String("provider-dir", "bin", "directory holding the built terraform-provider-ghpkg")
	rows := flag.String("rows", defaultRows, "rows to run, shape:N, comma-separated; shapes: "+strings.Join(shapeNames(), ", "))
	latencies := flag.String("latencies", "0s,100ms", "per-request latencies of the emulator")
	runs := flag.Int("runs", 3, "plans per variant; the table shows medians")
	bigN := flag.Int("big-n", 10000, "from this N on, rows plan -big-runs times, apply only at the first latency and skip the one-GET variant")
	bigRuns := flag.Int("big-runs", 1, "plans per variant for rows of -big-n or more")
	out := flag.String("out", "BENCHMARKS.md", "markdown report to write")
	chart := flag.String("chart", "BENCHMARKS.svg", "chart to write")
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
	floorDir, cleanup, err := buildFloor()
	if err != nil {
		log.Fatal(err)
	}
	defer cleanup()
	b := &bench{providerDir: *providerDir, floorDir: floorDir, runs: *runs, bigN: *bigN, bigRuns: *bigRuns, profileDir: *profileDir}
	var results []result
	for _, spec := range specs {
		rs, err := b.measure(spec.shape, spec.n, lats)
		if err != nil {
			log.Fatalf("%s N=%d: %v", spec.shape.name, spec.n, err)
		}
		for _, r := range rs {
			fmt.Println(r.planRow())
			fmt.Println(r.costRow())
		}
		results = append(results, rs...)
	}
	startup, err := b.startup()
	if err != nil {
		log.Fatal(err)
	}
	report := b.report(results, startup, strings.Join(os.Args[1:], " "))
	fmt.Println(report)
	if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*chart, []byte(svgChart(results)), 0o644); err != nil {
		log.Fatal(err)
	}
}

type rowSpec struct {
	shape shape
	n     int
}

func parseRows(rows string) ([]rowSpec, error) {
	var specs []rowSpec
	for _, r := range strings.Split(rows, ",") {
		name, count, ok := strings.Cut(strings.TrimSpace(r), ":")
		s, known := shapes[name]
		n, err := strconv.Atoi(count)
		if !ok || !known || err != nil || n < 1 {
			return nil, fmt.Errorf("row %q: want shape:N with a shape of %s", r, strings.Join(shapeNames(), ", "))
		}
		specs = append(specs, rowSpec{s, n})
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
}

// variant names one configuration a row plans.
type variant int

const (
	data     variant = iota // terraform_data, builtin
	floor                   // the floor provider
	ghpkg                   // ghpkg, batched refresh (the default)
	oneGET                  // ghpkg with batch_refresh = false
	variants                // how many
)

var variantNames = [variants]string{"terraform_data", "floor", "ghpkg", "one-GET"}

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
