// Command bench measures ghpkg against Terraform's own floor: plan and apply
// wall time, requests per resource and the provider's peak memory for N
// packages, side by side with the same plan over N terraform_data
// resources, at zero and at a GitHub-like per-request latency. It writes
// BENCHMARKS.md and a chart. Run it with `make bench`; it needs no network.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tfcli"
)

const token = "bench-classic-token"

func main() {
	providerDir := flag.String("provider-dir", "bin", "directory holding the built terraform-provider-ghpkg")
	sizes := flag.String("sizes", "1,100,1000", "numbers of resources")
	latencies := flag.String("latencies", "0s,100ms", "per-request latencies of the emulator")
	runs := flag.Int("runs", 3, "plans per variant; the table shows medians")
	out := flag.String("out", "BENCHMARKS.md", "markdown report to write")
	chart := flag.String("chart", "BENCHMARKS.svg", "chart to write")
	flag.Parse()

	b := &bench{providerDir: *providerDir, runs: *runs}
	var results []result
	for _, l := range strings.Split(*latencies, ",") {
		latency, err := time.ParseDuration(l)
		if err != nil {
			log.Fatal(err)
		}
		for _, s := range strings.Split(*sizes, ",") {
			n, err := strconv.Atoi(s)
			if err != nil {
				log.Fatal(err)
			}
			r, err := b.measure(n, latency)
			if err != nil {
				log.Fatalf("N=%d latency=%s: %v", n, latency, err)
			}
			results = append(results, r)
			fmt.Println(r.row())
		}
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

type bench struct {
	providerDir string
	runs        int
}

// result is one N at one latency; durations are medians.
type result struct {
	n                     int
	latency               time.Duration
	floorPlan             time.Duration
	plan, planUnbatched   time.Duration
	planRequests          int // per plan, batched
	planRequestsUnbatched int
	apply                 time.Duration
	applyRequests         int
	peakRSS               int64 // bytes, provider process during plans
	// CPU time of a plan: Terraform and its provider processes together,
	// and the provider's part alone.
	floorPlanCPU, planCPU, planProviderCPU time.Duration
}

func (r result) row() string {
	per := func(requests int) string { return strconv.FormatFloat(float64(requests)/float64(r.n), 'f', 3, 64) }
	return fmt.Sprintf("| %s | %d | %.2f | %.2f | **%.2fx** | %.2f | %.2fx | %d (%s) | %d (%s) | %.2f | %s | %.0f | %.2f / %.2f (%.2f) |",
		r.latency, r.n, r.floorPlan.Seconds(), r.plan.Seconds(), ratio(r.plan, r.floorPlan),
		r.planUnbatched.Seconds(), ratio(r.planUnbatched, r.floorPlan),
		r.planRequests, per(r.planRequests), r.planRequestsUnbatched, per(r.planRequestsUnbatched),
		r.apply.Seconds(), per(r.applyRequests), float64(r.peakRSS)/(1<<20),
		r.floorPlanCPU.Seconds(), r.planCPU.Seconds(), r.planProviderCPU.Seconds())
}

func ratio(a, b time.Duration) float64 { return a.Seconds() / b.Seconds() }

// measure applies N packages (adopting visible ones), then plans the three
// variants in turn, runs times, so that machine noise hits them alike.
func (b *bench) measure(n int, latency time.Duration) (result, error) {
	r := result{n: n, latency: latency}
	fake := ghfake.New()
	fake.AddToken(token, "read:packages", "write:packages")
	for i := range n {
		fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: fmt.Sprintf("pkg-%05d", i)})
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		time.Sleep(latency)
		fake.ServeHTTP(w, req)
	}))
	defer server.Close()
	work, err := os.MkdirTemp("", "ghpkg-bench-")
	if err != nil {
		return r, err
	}
	defer func() { _ = os.RemoveAll(work) }()

	env := []string{"GITHUB_BASE_URL=" + server.URL, "GITHUB_TOKEN=" + token}
	floor, err := b.workspace(work, "floor", floorConfig(n), env)
	if err != nil {
		return r, err
	}
	batched, err := b.workspace(work, "batched", packagesConfig(n, ""), env)
	if err != nil {
		return r, err
	}
	unbatched, err := b.workspace(work, "unbatched", packagesConfig(n, "batch_refresh = false"), env)
	if err != nil {
		return r, err
	}
	if _, err := floor.timed("apply"); err != nil {
		return r, err
	}
	before := fake.CountRequests("")
	apply, err := batched.timed("apply")
	if err != nil {
		return r, err
	}
	r.apply = apply.wall
	r.applyRequests = fake.CountRequests("") - before
	// Same resources, same state: the unbatched plan reads what apply wrote.
	if err := copyFile(filepath.Join(batched.Dir, "terraform.tfstate"), filepath.Join(unbatched.Dir, "terraform.tfstate")); err != nil {
		return r, err
	}

	var floorTimes, floorCPU, planTimes, planCPU, providerCPU, unbatchedTimes []time.Duration
	for range b.runs {
		t, err := floor.timed("plan")
		if err != nil {
			return r, err
		}
		floorTimes, floorCPU = append(floorTimes, t.wall), append(floorCPU, t.cpu)

		before := fake.CountRequests("")
		watch := watchProvider(filepath.Join(b.providerDir, tfcli.BinaryName))
		t, err = batched.timed("plan")
		provider := watch()
		if err != nil {
			return r, err
		}
		r.peakRSS = max(r.peakRSS, provider.peakRSS)
		planTimes, planCPU, providerCPU = append(planTimes, t.wall), append(planCPU, t.cpu), append(providerCPU, provider.cpu)
		r.planRequests = fake.CountRequests("") - before

		before = fake.CountRequests("")
		if t, err = unbatched.timed("plan"); err != nil {
			return r, err
		}
		unbatchedTimes = append(unbatchedTimes, t.wall)
		r.planRequestsUnbatched = fake.CountRequests("") - before
	}
	r.floorPlan, r.plan, r.planUnbatched = median(floorTimes), median(planTimes), median(unbatchedTimes)
	r.floorPlanCPU, r.planCPU, r.planProviderCPU = median(floorCPU), median(planCPU), median(providerCPU)
	return r, nil
}

type workspace struct{ *tfcli.Workspace }

func (b *bench) workspace(work, name, config string, env []string) (workspace, error) {
	dir := filepath.Join(work, name+"-config")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return workspace{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		return workspace{}, err
	}
	if err := os.MkdirAll(filepath.Join(work, name), 0o700); err != nil {
		return workspace{}, err
	}
	ws, err := tfcli.New(filepath.Join(work, name), b.providerDir, dir, env...)
	if err != nil {
		return workspace{}, err
	}
	log := &strings.Builder{}
	ws.Stdout, ws.Stderr = log, log
	return workspace{ws}, nil
}

// timing is what one Terraform command cost: wall time, and the CPU time of
// Terraform and the provider processes it ran.
type timing struct{ wall, cpu time.Duration }

// timed runs plan or apply (with -input=false) and measures it.
func (w workspace) timed(command string) (timing, error) {
	args := []string{command, "-input=false", "-parallelism=10"}
	if command == "apply" {
		args = append(args, "-auto-approve")
	}
	cpu, start := childrenCPU(), time.Now()
	_, err := w.Run(args...)
	if err != nil {
		return timing{}, fmt.Errorf("%w\n%s", err, w.Stdout)
	}
	return timing{wall: time.Since(start), cpu: childrenCPU() - cpu}, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func packagesConfig(n int, providerArgs string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {
  %s
}

resource "ghpkg_user_package_restore" "pkg" {
  count        = %d
  username     = "octocat"
  package_type = "npm"
  package_name = format("pkg-%%05d", count.index)
}
`, providerArgs, n)
}

func floorConfig(n int) string {
	return fmt.Sprintf(`resource "terraform_data" "pkg" {
  count = %d
  input = format("pkg-%%05d", count.index)
}
`, n)
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}
