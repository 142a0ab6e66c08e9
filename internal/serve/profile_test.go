package serve

import (
	"os"
	"path/filepath"
	"testing"
)

// TestProfiles: the switches write a CPU and an allocation profile named
// for the process; without them nothing is written.
func TestProfiles(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{CPUProfileEnv: filepath.Join(dir, "cpu"), MemProfileEnv: filepath.Join(dir, "mem")}
	for _, on := range []bool{false, true} {
		lookup := func(key string) (string, bool) {
			v, ok := env[key]
			return v, ok && on
		}
		stop, err := startProfiles(lookup)
		if err != nil {
			t.Fatal(err)
		}
		stop()
		for _, prefix := range env {
			info, err := os.Stat(pidFile(prefix))
			if on && (err != nil || info.Size() == 0) {
				t.Errorf("switched on: %s: %v", pidFile(prefix), err)
			}
			if !on && err == nil {
				t.Errorf("switched off, yet %s was written", pidFile(prefix))
			}
		}
	}
}
