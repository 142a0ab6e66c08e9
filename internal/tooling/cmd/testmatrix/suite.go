package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"time"
)

// suite is a go test invocation run once per CLI.
type suite struct {
	name string
	args []string
}

var suites = []suite{
	{"acceptance", []string{"-run", "^TestAcc", "-parallel", "6", "./internal/provider/..."}},
	{"e2e", []string{"./internal/tooling/e2e/..."}},
}

func suiteNames() []string {
	var names []string
	for _, s := range suites {
		names = append(names, s.name)
	}
	return names
}

func pickSuites(list string) ([]suite, error) {
	var chosen []suite
	for name := range strings.SplitSeq(list, ",") {
		i := slices.IndexFunc(suites, func(s suite) bool { return s.name == strings.TrimSpace(name) })
		if i < 0 {
			return nil, fmt.Errorf("unknown suite %q (have %s)", name, strings.Join(suiteNames(), ", "))
		}
		chosen = append(chosen, suites[i])
	}
	return chosen, nil
}

// result counts the tests (subtests included) of one suite on one CLI.
type result struct {
	cli, suite           string
	passed, skipped, run int
	failed               []string // names of failed tests; "(package ...)" when a package failed outside any test
	skipReasons          map[string]int
	elapsed              time.Duration
	failOutput           string
}

func (r result) verdict() string {
	if len(r.failed) > 0 {
		return fmt.Sprintf("FAILED (%d)", len(r.failed))
	}
	return fmt.Sprintf("passed (%d run, %d skipped)", r.run, r.skipped)
}

// testEvent is a line of `go test -json` (cmd/test2json).
type testEvent struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func runSuite(s *spec, su suite, logPath string) (r result) {
	r = result{cli: s.label, suite: su.name, skipReasons: map[string]int{}}
	start := time.Now()
	defer func() { r.elapsed = time.Since(start) }()

	logFile, err := os.Create(logPath)
	if err != nil {
		r.failed = append(r.failed, "(log: "+err.Error()+")")
		return r
	}
	defer func() { _ = logFile.Close() }()
	args := append([]string{"test", "-json", "-count=1", "-timeout", "20m"}, su.args...)
	cmd := exec.Command("go", args...)
	// Scale tests count requests against the emulator, whatever the CLI:
	// `make test` runs them once.
	cmd.Env = append(os.Environ(), "TF_ACC=1", "TF_ACC_TERRAFORM_PATH="+s.path, "GHPKG_ACC_SKIP_SCALE=1")
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		r.failed = append(r.failed, "(go test: "+err.Error()+")")
		return r
	}
	if err := cmd.Start(); err != nil {
		r.failed = append(r.failed, "(go test: "+err.Error()+")")
		return r
	}
	tally(stdout, logFile, &r)
	if err := cmd.Wait(); err != nil && len(r.failed) == 0 {
		r.failed = append(r.failed, "(go test: "+err.Error()+")")
	}
	return r
}

// tally reads `go test -json` events, copies them to log, and counts the
// tests in r.
func tally(events io.Reader, log io.Writer, r *result) {
	output := map[string][]string{} // test -> its output lines, until it ends
	var failText strings.Builder
	scanner := bufio.NewScanner(events)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	for scanner.Scan() {
		line := scanner.Bytes()
		_, _ = log.Write(append(line, '\n'))
		var ev testEvent
		if json.Unmarshal(line, &ev) != nil {
			continue
		}
		key := ev.Package + " " + ev.Test
		switch ev.Action {
		case "output":
			output[key] = append(output[key], ev.Output)
		case "pass", "skip", "fail":
			if ev.Test == "" {
				if ev.Action == "fail" {
					r.failed = append(r.failed, "(package "+ev.Package+")")
					failText.WriteString(strings.Join(output[key], ""))
				}
				continue
			}
			r.run++
			switch ev.Action {
			case "pass":
				r.passed++
			case "skip":
				r.skipped++
				r.skipReasons[skipReason(output[key])]++
			case "fail":
				r.failed = append(r.failed, ev.Test)
				failText.WriteString(strings.Join(output[key], ""))
			}
			delete(output, key)
		}
	}
	r.failOutput = failText.String()
}

var sourcePrefix = regexp.MustCompile(`^\s*\S+\.go:\d+: `)

// skipReason is the message a test skipped with, without its file:line.
func skipReason(lines []string) string {
	for _, l := range slices.Backward(lines) {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "--- SKIP") || strings.HasPrefix(l, "=== ") {
			continue
		}
		return sourcePrefix.ReplaceAllString(l, "")
	}
	return "(no message)"
}
