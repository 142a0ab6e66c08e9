package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestTallyCountsSkipsWithTheirReason(t *testing.T) {
	events := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:12: Terraform CLI version 1.5.7 is below minimum version 1.14.0: skipping test\n"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"--- SKIP: TestB (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:3: needs Terraform 1.14.0 or later, have OpenTofu 1.12.6\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`{"Action":"output","Package":"p","Test":"TestD/sub","Output":"boom\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestD/sub"}`,
		`{"Action":"fail","Package":"p","Test":"TestD"}`,
		`not json: a build error line`,
		`{"Action":"output","Package":"q","Output":"panic: nil map\n"}`,
		`{"Action":"fail","Package":"q"}`,
	}, "\n")
	var log bytes.Buffer
	r := result{skipReasons: map[string]int{}}
	tally(strings.NewReader(events), &log, &r)

	if r.run != 5 || r.passed != 1 || r.skipped != 2 {
		t.Errorf("run/passed/skipped = %d/%d/%d, want 5/1/2", r.run, r.passed, r.skipped)
	}
	if got := strings.Join(r.failed, ","); got != "TestD/sub,TestD,(package q)" {
		t.Errorf("failed = %s", got)
	}
	for _, reason := range []string{
		"Terraform CLI version 1.5.7 is below minimum version 1.14.0: skipping test",
		"needs Terraform 1.14.0 or later, have OpenTofu 1.12.6",
	} {
		if r.skipReasons[reason] != 1 {
			t.Errorf("skip reason %q counted %d times; reasons: %v", reason, r.skipReasons[reason], r.skipReasons)
		}
	}
	if !strings.Contains(r.failOutput, "boom") || !strings.Contains(r.failOutput, "panic: nil map") {
		t.Errorf("failure output lacks the failing tests' output: %q", r.failOutput)
	}
	if !strings.Contains(log.String(), "not json") {
		t.Error("the log should keep every line go test printed")
	}
}

func TestParseSpecs(t *testing.T) {
	specs, err := parseSpecs("terraform@1.5.7, terraform ,tofu@v1.12.6")
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, s := range specs {
		slugs = append(slugs, s.slug())
	}
	if got := strings.Join(slugs, " "); got != "terraform-1.5.7 terraform-path tofu-1.12.6" {
		t.Errorf("slugs = %s", got)
	}
	for _, bad := range []string{"", "tofu", "opentofu@1.12.6"} {
		if _, err := parseSpecs(bad); err == nil {
			t.Errorf("parseSpecs(%q) accepted", bad)
		}
	}
}
