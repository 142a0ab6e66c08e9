package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
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

func terraformVersion() string {
	cli, err := tfcli.Detect()
	if err != nil {
		return "terraform (unknown version)"
	}
	return cli.String()
}
