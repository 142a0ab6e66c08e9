package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/serve"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

// floorBinary is the file dev_overrides look for at the floor's address.
const floorBinary = "terraform-provider-floor"

// baselineBinary is the baseline build's name in the floor's directory; its
// configurations give the local name ghpkg this source.
const baselineBinary = "terraform-provider-ghpkg-baseline"

// buildFloor builds floorprovider/ the way `make build` builds ghpkg, into
// a scratch directory, and copies the baseline build there when there is one.
func buildFloor(baselineDir string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "ghpkg-bench-floor-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	cmd := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(dir, floorBinary),
		"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/cmd/bench/floorprovider")
	cmd.Env, cmd.Stdout, cmd.Stderr = append(os.Environ(), "CGO_ENABLED=0"), os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("building the floor provider: %w", err)
	}
	if baselineDir != "" {
		data, err := os.ReadFile(filepath.Join(baselineDir, tfcli.BinaryName))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, baselineBinary), data, 0o700)
		}
		if err != nil {
			cleanup()
			return "", nil, fmt.Errorf("baseline: %w", err)
		}
	}
	return dir, cleanup, nil
}

// cliConfig writes the bench's CLI configuration: tfcli's dev_overrides for
// ghpkg, plus the floor, under both registries' addresses (Terraform's and
// OpenTofu's default hosts).
func (b *bench) cliConfig(work string) (string, error) {
	var lines []string
	for _, o := range []struct{ name, dir string }{{"ghpkg", b.providerDir}, {"floor", b.floorDir}, {"ghpkg-baseline", b.floorDir}} {
		dir, err := filepath.Abs(o.dir)
		if err != nil {
			return "", err
		}
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			lines = append(lines, fmt.Sprintf("    %q = %q", host+"/ghpkg/"+o.name, dir))
		}
	}
	path := filepath.Join(work, "bench.terraformrc")
	config := "provider_installation {\n  dev_overrides {\n" + strings.Join(lines, "\n") + "\n  }\n  direct {}\n}\n"
	return path, os.WriteFile(path, []byte(config), 0o600)
}

// measure runs one row at every latency: one emulator holding the row's
// objects, one workspace per variant. At each latency it applies ghpkg from
// empty state (terraform_data and the floor at the first latency only: they
// send no request), then plans every variant in turn, runs times, so that
// machine noise hits them alike. Big rows are not applied: their state is
// written from a one-instance apply (seedState); they skip the one-GET
// variant, whose N direct GETs alone would take minutes.
func (b *bench) measure(spec rowSpec, lats []time.Duration) ([]result, error) {
	s, n := spec.shape, spec.n
	fake := ghfake.New()
	fake.AddToken(token, "read:packages", "write:packages")
	s.seed(fake, n)
	var latency atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		time.Sleep(time.Duration(latency.Load()))
		fake.ServeHTTP(w, req)
	}))
	defer server.Close()
	work, err := os.MkdirTemp("", "ghpkg-bench-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(work) }()
	cliConfig, err := b.cliConfig(work)
	if err != nil {
		return nil, err
	}
	// The last TF_CLI_CONFIG_FILE wins over the one tfcli sets.
	env := []string{"GITHUB_BASE_URL=" + server.URL, "GITHUB_TOKEN=" + token, "TF_CLI_CONFIG_FILE=" + cliConfig}

	big := n >= b.bigN
	configs := [variants]string{s.data(n), s.floor(n), s.ghpkg(n, ""), s.ghpkg(n, "batch_refresh = false"), baselineConfig(s.ghpkg(n, ""))}
	var ws [variants]*workspace
	for v := range variants {
		if v == oneGET && big || v == baseline && !b.baseline {
			continue
		}
		if ws[v], err = b.workspace(work, variantNames[v], configs[v], env); err != nil {
			return nil, err
		}
	}
	runs := b.runs
	switch {
	case spec.runs > 0:
		runs = spec.runs
	case big:
		runs = b.bigRuns
	}
	var results []result
	for i, l := range lats {
		latency.Store(int64(l))
		r := result{shape: s, n: n, latency: l, runs: runs}
		for _, v := range []variant{data, floor, ghpkg, baseline} {
			switch {
			case ws[v] == nil:
			case i > 0 && (v == data || v == floor):
				// terraform_data and the floor send no request: their
				// apply does not depend on the latency.
				r.apply[v] = results[0].apply[v]
			case big && i == 0:
				one := [variants]string{s.data(1), s.floor(1), s.ghpkg(1, ""), "", baselineConfig(s.ghpkg(1, ""))}[v]
				if err := b.seedState(ws[v], one, n, env); err != nil {
					return nil, err
				}
			case !big:
				_ = os.Remove(ws[v].state())
				if r.apply[v], err = b.timed(ws[v], v, fake, "apply"); err != nil {
					return nil, err
				}
			}
		}
		// Same resources, same state: the one-GET plan reads what apply wrote.
		if ws[oneGET] != nil {
			if err := copyFile(ws[ghpkg].state(), ws[oneGET].state()); err != nil {
				return nil, err
			}
		}
		var samples [variants][]cost
		for range runs {
			for v := range variants {
				if ws[v] == nil {
					continue
				}
				c, err := b.timed(ws[v], v, fake, "plan")
				if err != nil {
					return nil, err
				}
				samples[v] = append(samples[v], c)
			}
		}
		for v := range variants {
			r.plan[v] = medianCost(samples[v])
		}
		results = append(results, r)
		if b.profileDir != "" && i == 0 && n >= 1000 && s.name == "count" {
			if err := b.profile(ws, s, n, fake); err != nil {
				return nil, err
			}
		}
	}
	return results, nil
}

type workspace struct{ *tfcli.Workspace }

func (w *workspace) state() string { return filepath.Join(w.Dir, "terraform.tfstate") }

func (b *bench) workspace(work, name, config string, env []string) (*workspace, error) {
	dir := filepath.Join(work, name+"-config")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(work, name), 0o700); err != nil {
		return nil, err
	}
	ws, err := tfcli.New(filepath.Join(work, name), b.providerDir, dir, env...)
	if err != nil {
		return nil, err
	}
	log := &strings.Builder{}
	ws.Stdout, ws.Stderr = log, log
	return &workspace{ws}, nil
}

// providerBinary is the plugin a variant runs, "" for terraform_data.
func (b *bench) providerBinary(v variant) string {
	switch v {
	case floor:
		return filepath.Join(b.floorDir, floorBinary)
	case ghpkg, oneGET:
		return filepath.Join(b.providerDir, tfcli.BinaryName)
	case baseline:
		return filepath.Join(b.floorDir, baselineBinary)
	}
	return ""
}

// timed runs plan or apply (with -input=false) and measures it: wall time,
// the CPU time of Terraform and the provider processes it ran, the
// provider's own part and peak memory, and the requests the emulator saw.
func (b *bench) timed(w *workspace, v variant, fake *ghfake.Server, command string) (cost, error) {
	args := []string{command, "-input=false", "-parallelism=10"}
	if command == "apply" {
		args = append(args, "-auto-approve")
	} else {
		args = append(args, "-detailed-exitcode")
	}
	watch := func() providerUsage { return providerUsage{} }
	if bin := b.providerBinary(v); bin != "" {
		watch = watchProvider(bin)
	}
	requests, cpu, start := fake.CountRequests(""), childrenCPU(), time.Now()
	code, err := w.Run(args...)
	wall := time.Since(start)
	usage := watch()
	if err == nil && code == 2 {
		err = errors.New("the plan after apply is not empty")
	}
	if err != nil {
		return cost{}, fmt.Errorf("%s %s: %w\n%s", variantNames[v], command, err, w.Stdout)
	}
	if log, ok := w.Stdout.(*strings.Builder); ok {
		log.Reset() // keep only the failing command's output
	}
	return cost{wall: wall, cpu: childrenCPU() - cpu, providerCPU: usage.cpu, peakRSS: usage.peakRSS,
		requests: fake.CountRequests("") - requests, measured: true}, nil
}

// medianCost takes each measure's median (the peak memory's maximum, the
// requests of the last run) over the runs.
func medianCost(cs []cost) cost {
	if len(cs) == 0 {
		return cost{}
	}
	pick := func(f func(cost) time.Duration) time.Duration {
		var ds []time.Duration
		for _, c := range cs {
			ds = append(ds, f(c))
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	m := cost{measured: true, requests: cs[len(cs)-1].requests,
		wall:        pick(func(c cost) time.Duration { return c.wall }),
		cpu:         pick(func(c cost) time.Duration { return c.cpu }),
		providerCPU: pick(func(c cost) time.Duration { return c.providerCPU })}
	for _, c := range cs {
		m.peakRSS = max(m.peakRSS, c.peakRSS)
	}
	return m
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}

// profile runs one more plan of the floor, ghpkg and the baseline with the
// provider's profiling switches on (internal/serve), writing into
// b.profileDir; for the count rows of 1000 and more.
func (b *bench) profile(ws [variants]*workspace, s shape, n int, fake *ghfake.Server) error {
	for _, v := range []variant{floor, ghpkg, baseline} {
		if ws[v] == nil {
			continue
		}
		prefix := filepath.Join(b.profileDir, fmt.Sprintf("%s-%s-%d", variantNames[v], s.name, n))
		env := ws[v].Env
		ws[v].Env = append(slices.Clip(env), serve.CPUProfileEnv+"="+prefix+".cpu", serve.MemProfileEnv+"="+prefix+".allocs")
		_, err := b.timed(ws[v], v, fake, "plan")
		ws[v].Env = env
		if err != nil {
			return err
		}
	}
	return nil
}

// baselineConfig is a ghpkg configuration served by the baseline build.
func baselineConfig(config string) string {
	return strings.Replace(config, `source = "ghpkg/ghpkg"`, `source = "ghpkg/ghpkg-baseline"`, 1)
}
