package serve

import (
	"errors"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"strconv"
)

// Profiling switches: each names a file prefix; the provider process writes
// <prefix>.<pid>, because Terraform starts several provider processes per
// command (the plan's is the largest file). The CPU profile covers the
// process's whole life, the allocation profile is written at exit (read it
// with -sample_index=alloc_space). See CONTRIBUTING.md, "Profiling".
const (
	CPUProfileEnv = "GHPKG_CPUPROFILE"
	MemProfileEnv = "GHPKG_MEMPROFILE"
)

// startProfiles starts what the switches ask for and returns the function
// that writes the profiles out.
func startProfiles(lookup func(string) (string, bool)) (func(), error) {
	var stops []func() error
	if prefix, ok := lookup(CPUProfileEnv); ok && prefix != "" {
		f, err := os.Create(pidFile(prefix))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", CPUProfileEnv, err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, errors.Join(fmt.Errorf("%s: %w", CPUProfileEnv, err), f.Close())
		}
		stops = append(stops, func() error { pprof.StopCPUProfile(); return f.Close() })
	}
	if prefix, ok := lookup(MemProfileEnv); ok && prefix != "" {
		stops = append(stops, func() error {
			f, err := os.Create(pidFile(prefix))
			if err != nil {
				return err
			}
			return errors.Join(pprof.Lookup("allocs").WriteTo(f, 0), f.Close())
		})
	}
	return func() {
		for _, stop := range stops {
			if err := stop(); err != nil {
				log.Printf("writing a profile: %v", err)
			}
		}
	}, nil
}

func pidFile(prefix string) string { return prefix + "." + strconv.Itoa(os.Getpid()) }
