package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// report writes the table CLI × suite, each distinct skip reason, and the
// output of failed tests; it returns whether anything failed.
func report(out io.Writer, results [][]result) bool {
	var w strings.Builder
	defer func() { _, _ = io.WriteString(out, w.String()) }()
	failed := false
	fmt.Fprintln(&w, "\n| CLI | suite | tests run | passed | skipped | failed | time |")
	fmt.Fprintln(&w, "|---|---|---|---|---|---|---|")
	for _, row := range results {
		for _, r := range row {
			fmt.Fprintf(&w, "| %s | %s | %d | %d | %d | %d | %s |\n",
				r.cli, r.suite, r.run, r.passed, r.skipped, len(r.failed), r.elapsed.Round(time.Second))
			failed = failed || len(r.failed) > 0
		}
	}
	fmt.Fprintln(&w, "\nSkipped, and why:")
	listed := false
	for _, row := range results {
		for _, r := range row {
			for _, reason := range slices.Sorted(maps.Keys(r.skipReasons)) {
				fmt.Fprintf(&w, "- %s, %s: %d × %s\n", r.cli, r.suite, r.skipReasons[reason], reason)
				listed = true
			}
		}
	}
	if !listed {
		fmt.Fprintln(&w, "- nothing")
	}
	for _, row := range results {
		for _, r := range row {
			if len(r.failed) > 0 {
				fmt.Fprintf(&w, "\n%s, %s suite, FAILED: %v\n%s\n", r.cli, r.suite, r.failed, r.failOutput)
			}
		}
	}
	return failed
}
