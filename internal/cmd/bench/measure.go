package main

import (
	"bufio"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tfcli"
)

// providerUsage is what the provider processes used while a watch ran.
type providerUsage struct {
	peakRSS int64         // bytes, the highest VmHWM of any of them
	cpu     time.Duration // user plus system time of all of them
}

// watchProvider polls /proc for processes running binary (Terraform starts
// a few per command) and adds up what they used, as last seen before each
// exited: polls are 20 ms apart, so a process's last few milliseconds may be
// missed. The returned func stops it.
func watchProvider(binary string) func() providerUsage {
	abs, _ := filepath.Abs(binary)
	var mu sync.Mutex
	var peak int64
	cpu := map[string]time.Duration{}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			for _, pid := range processesOf(abs) {
				hwm, used := vmHWM(pid), cpuTime(pid)
				mu.Lock()
				peak = max(peak, hwm)
				cpu[pid] = max(cpu[pid], used)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() providerUsage {
		close(stop)
		<-done
		mu.Lock()
		defer mu.Unlock()
		u := providerUsage{peakRSS: peak}
		for _, d := range cpu {
			u.cpu += d
		}
		return u
	}
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times: 100 on Linux.
const clockTicks = 100

// cpuTime is the user plus system time a process has used so far.
func cpuTime(pid string) time.Duration {
	stat, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces and parentheses;
	// after the last ")" come the fields from the state (field 3) on, so
	// utime and stime (fields 14 and 15) are at 11 and 12.
	end := strings.LastIndexByte(string(stat), ')')
	if end < 0 {
		return 0
	}
	fields := strings.Fields(string(stat[end+1:]))
	if len(fields) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// childrenCPU is the CPU time used by the bench's finished child processes
// (Terraform) and the processes they waited for (the provider): the
// difference across a command is what that command cost, emulator excluded.
func childrenCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func processesOf(binary string) []string {
	entries, _ := os.ReadDir("/proc")
	var pids []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == binary {
			pids = append(pids, e.Name())
		}
	}
	return pids
}

func vmHWM(pid string) int64 {
	f, err := os.Open(filepath.Join("/proc", pid, "status"))
	if err != nil {
		return 0
	}
	defer func() { _ = f.Close() }()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// startup is what serving the schema costs: `terraform providers schema`
// with ghpkg against the same command with Terraform's builtin provider only.
type startup struct {
	schema, floor time.Duration
	requests      int
	binaryBytes   int64
}

func (b *bench) startup() (startup, error) {
	var s startup
	fake := ghfake.New()
	server := httptest.NewServer(fake)
	defer server.Close()
	work, err := os.MkdirTemp("", "ghpkg-bench-startup-")
	if err != nil {
		return s, err
	}
	defer func() { _ = os.RemoveAll(work) }()
	env := []string{"GITHUB_BASE_URL=" + server.URL, "GITHUB_TOKEN=" + token}
	ghpkg, err := b.workspace(work, "ghpkg", packagesConfig(1, ""), env)
	if err != nil {
		return s, err
	}
	floor, err := b.workspace(work, "floor", floorConfig(1), env)
	if err != nil {
		return s, err
	}
	var schemaTimes, floorTimes []time.Duration
	for range 5 {
		for _, w := range []struct {
			ws    workspace
			times *[]time.Duration
		}{{ghpkg, &schemaTimes}, {floor, &floorTimes}} {
			start := time.Now()
			if _, err := w.ws.Run("providers", "schema", "-json"); err != nil {
				return s, fmt.Errorf("%w\n%s", err, w.ws.Stdout)
			}
			*w.times = append(*w.times, time.Since(start))
		}
	}
	s.schema, s.floor, s.requests = median(schemaTimes), median(floorTimes), fake.CountRequests("")
	info, err := os.Stat(filepath.Join(b.providerDir, tfcli.BinaryName))
	if err != nil {
		return s, err
	}
	s.binaryBytes = info.Size()
	return s, nil
}

func (b *bench) report(results []result, s startup, args string) string {
	var r strings.Builder
	fmt.Fprintf(&r, "# Benchmarks\n\nProduced by `make bench` (`go run ./internal/cmd/bench %s`) on %s: %d CPUs, %s, %s, %s.\n\n",
		args, time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), runtime.Version(), terraformVersion(), "ghfake on loopback")
	r.WriteString("Each row applies N packages (adopting visible ones: one GET each), then plans three variants in turn, " +
		fmt.Sprintf("%d times, medians shown: N `terraform_data` resources (Terraform's floor), ghpkg with batched refresh ", b.runs) +
		"(the default) and ghpkg with `batch_refresh = false` (one GET per resource). Latency is added by the emulator " +
		"to every request. Ratios are against the floor plan of the same row. Peak RSS is the provider process's " +
		"VmHWM during the batched plans. Plan CPU is the user and system time of the floor plan, then of the batched " +
		"plan, Terraform and provider together, with the provider's part in parentheses: with 2 cores busy, it shows " +
		"how much of the gap is Terraform's own side of the plugin protocol.\n\n")
	r.WriteString("| latency | N | floor plan (s) | ghpkg plan (s) | ratio | one-GET plan (s) | ratio | plan requests (per resource) | one-GET requests (per resource) | apply (s) | apply requests per resource | provider peak RSS (MiB) | plan CPU (s): floor / ghpkg (provider) |\n")
	r.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, res := range results {
		r.WriteString(res.row() + "\n")
	}
	fmt.Fprintf(&r, "\nProvider start-up: `terraform providers schema -json` takes %.2f s with ghpkg against %.2f s with "+
		"Terraform's builtin provider alone (median of 5), %d requests to GitHub. Binary: %.1f MiB.\n\n",
		s.schema.Seconds(), s.floor.Seconds(), s.requests, float64(s.binaryBytes)/(1<<20))
	r.WriteString("![requests and plan time against N](BENCHMARKS.svg)\n\n")
	r.WriteString("Reading the table: the request columns are the refresh cost, which batching cuts from one request " +
		"per resource to about `ceil(N/100) + 3`; with latency, that is also most of the plan time a one-GET " +
		"provider loses. The remaining gap to the floor is per-resource work in the plugin protocol and " +
		"terraform-plugin-framework (UpgradeResourceState, ReadResource and PlanResourceChange over gRPC for each " +
		"resource), which `terraform_data`, built into Terraform, does not pay.\n")
	if big := largest(results); big.floorPlan > 0 {
		terraformCPU := big.planCPU - big.planProviderCPU
		fmt.Fprintf(&r, "\nAt N = %d and %s latency, Terraform itself (the plan's CPU minus the provider's) used %.2f s "+
			"of CPU against %.2f s for the floor: even spread perfectly over %d cores, that alone takes %.2f s, %.2fx the floor plan, "+
			"however little the provider spends.\n",
			big.n, big.latency, terraformCPU.Seconds(), big.floorPlanCPU.Seconds(), runtime.NumCPU(),
			terraformCPU.Seconds()/float64(runtime.NumCPU()), terraformCPU.Seconds()/float64(runtime.NumCPU())/big.floorPlan.Seconds())
	}
	return r.String()
}

// largest is the row with the most resources, the first one of them (the
// lowest latency) when several have as many.
func largest(results []result) result {
	var big result
	for _, res := range results {
		if res.n > big.n {
			big = res
		}
	}
	return big
}

func terraformVersion() string {
	out, err := exec.Command(tfcli.Path(), "version").Output()
	if err != nil {
		return "terraform (unknown version)"
	}
	return strings.SplitN(string(out), "\n", 2)[0]
}
