package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTheBinaryShipsNoTooling: internal/tooling tests, shows and ships the
// provider; none of it may end up in the binary.
func TestTheBinaryShipsNoTooling(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "/internal/tooling/") {
			t.Errorf("the provider binary imports %s", pkg)
		}
	}
}
