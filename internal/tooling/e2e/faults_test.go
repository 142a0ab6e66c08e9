package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/tfcli"
)

const (
	faultProviderToken = "ghp_e2eFaultProviderToken0123456789abcdef"
	// faultRestoreToken holds characters a query escapes, so that its
	// URL-encoded form differs from it and is looked for too.
	faultRestoreToken = "e2e-fault/restore+token=7d3a"

	faultPackage    = "octo-lib"
	faultGetPath    = "/users/octocat/packages/npm/" + faultPackage
	faultPOSTSuffix = faultGetPath + "/restore"
	faultAddress    = "ghpkg_user_package_restore.this"

	// faultMaxRetries is the provider's max_retries: max_retries+1 faults
	// in a row exhaust the retries of one call.
	faultMaxRetries = 1
	// commandTimeout bounds each Terraform command; hitting it means a hang.
	commandTimeout = 2 * time.Minute
)

var faultConfig = fmt.Sprintf(`
terraform {
  required_providers {
    ghpkg = { source = "ghpkg/ghpkg" }
  }
}

provider "ghpkg" {
  max_retries     = %d
  request_timeout = "1s"
}

variable "restore_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "ghpkg_user_package_restore" "this" {
  username     = "octocat"
  package_type = "npm"
  package_name = %q
  token        = var.restore_token
}
`, faultMaxRetries, faultPackage)

// faultKind is one failure the client knows, as served to GETs and to the
// restore POST. The restore answers 204 without a body, so the body faults
// (truncated, trickled) are served to it on a 502's body instead.
type faultKind struct {
	name      string
	get, post ghfake.Fault
	// rateLimit: waiting it out is not a retry, so what exhausts the call
	// is one limit that outlasts the operation's time, not max_retries+1.
	rateLimit bool
}

// faults are the faults served to one kind of request: one that a retry
// (or a wait) recovers from, or those that make the call fail.
func (k faultKind) faults(f ghfake.Fault, exhausted bool) []ghfake.Fault {
	switch {
	case !exhausted:
		return []ghfake.Fault{f}
	case k.rateLimit:
		outlasting := f
		outlasting.Header = f.Header.Clone()
		outlasting.Header.Set("Retry-After", "600") // beyond timeouts.create and a Read's 5 minutes
		return []ghfake.Fault{outlasting}
	}
	return slices.Repeat([]ghfake.Fault{f}, faultMaxRetries+1)
}

func faultKinds() []faultKind {
	truncated502 := ghfake.ServerError(502)
	truncated502.Truncate = true
	trickled502 := ghfake.ServerError(502)
	// 20 ms a byte: any answer over 50 bytes outlasts request_timeout.
	trickled502.Trickle = 20 * time.Millisecond
	return []faultKind{
		{"reset", ghfake.Fault{Reset: true}, ghfake.Fault{Reset: true}, false},
		{"timeout", ghfake.Fault{Hang: true}, ghfake.Fault{Hang: true}, false},
		{"5xx", ghfake.ServerError(502), ghfake.ServerError(502), false},
		{"429", ghfake.SecondaryRateLimit(429, time.Second), ghfake.SecondaryRateLimit(429, time.Second), true},
		{"secondary 403", ghfake.SecondaryRateLimit(403, time.Second), ghfake.SecondaryRateLimit(403, time.Second), true},
		{"truncated body", ghfake.Fault{Truncate: true}, truncated502, false},
		{"trickled body", ghfake.Fault{Trickle: 20 * time.Millisecond}, trickled502, false},
	}
}

// TestSecretsNeverLeakUnderFaults runs create, read and import under every
// failure the client retries, once recovering after a retry and once with
// the retries exhausted, and looks for both tokens in everything Terraform
// leaves behind: the TRACE log, its output, the state and `show -json`.
func TestSecretsNeverLeakUnderFaults(t *testing.T) {
	requireAcc(t)
	requireTerraform(t, "1.11.0", "1.11.0") // write-only arguments
	bin := providerDir(t)
	for _, kind := range faultKinds() {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			for _, op := range []string{"create", "read", "import"} {
				for _, exhausted := range []bool{false, true} {
					name := op + "/retried"
					if exhausted {
						name = op + "/exhausted"
					}
					t.Run(name, func(t *testing.T) {
						t.Parallel()
						runUnderFault(t, bin, kind, op, exhausted)
					})
				}
			}
		})
	}
}

// runUnderFault runs one operation against its own emulator and work
// directory, checks its outcome and then every trace it left for secrets.
func runUnderFault(t *testing.T, bin string, kind faultKind, op string, exhausted bool) {
	fake := ghfake.New()
	fake.AddToken(faultProviderToken, "read:packages", "write:packages")
	if op == "import" {
		fake.AddPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: faultPackage})
	} else {
		fake.AddDeletedPackage(ghfake.Package{Owner: "octocat", Type: "npm", Name: faultPackage}, time.Hour)
	}
	server := httptest.NewServer(fake)
	t.Cleanup(func() {
		server.CloseClientConnections() // ends handlers still hanging
		server.Close()
	})
	tf := newFaultRun(t, bin, server.URL)

	gets, posts := kind.faults(kind.get, exhausted), kind.faults(kind.post, exhausted)
	var err error
	command := "apply"
	switch op {
	case "create":
		// The first GET (is it visible?) recovers after a retry; the
		// restore POST gets the faults.
		fake.Script("GET", faultGetPath, kind.get)
		fake.Script("POST", faultPOSTSuffix, posts...)
		err = tf.run("apply", "-auto-approve", "-input=false")
		tf.expectRequests(fake, "POST", faultPOSTSuffix, len(posts))
	case "read":
		if err := tf.run("apply", "-auto-approve", "-input=false"); err != nil {
			t.Errorf("the setup apply, without faults, failed: %v\n%s", err, errorLines(tf.lastOutput))
			tf.assertNoSecrets(tf.show())
			return
		}
		fake.Script("GET", faultGetPath, gets...)
		command, err = "plan", tf.run("plan", "-input=false")
		tf.expectRequests(fake, "GET", faultGetPath, len(gets))
	case "import":
		fake.Script("GET", faultGetPath, gets...)
		command, err = "import", tf.run("import", "-input=false", faultAddress, "octocat/npm/"+faultPackage)
		tf.expectRequests(fake, "GET", faultGetPath, len(gets))
	}
	switch {
	case exhausted && err == nil:
		t.Errorf("terraform %s succeeded; want an error after %d faults (max_retries = %d)", command, len(gets), faultMaxRetries)
	case exhausted:
		t.Logf("terraform %s failed as it should:\n%s", command, errorLines(tf.lastOutput))
	case err != nil:
		t.Errorf("terraform %s failed; want success after one retry: %v\n%s", command, err, errorLines(tf.lastOutput))
	}
	if logs := tf.traceLogs(); !strings.Contains(logs, "GitHub API request") {
		t.Errorf("the TRACE logs show no %q: the provider's logs may not be captured, so the search for secrets in them proves nothing", "GitHub API request")
	}
	shown := tf.show()
	if !exhausted && !strings.Contains(shown, `"package_name":"`+faultPackage+`"`) {
		t.Errorf("after %s, terraform show -json lacks the package:\n%s", op, shown)
	}
	tf.assertNoSecrets(shown)
}

// faultRun is one work directory and what its Terraform commands left.
type faultRun struct {
	t      *testing.T
	ws     *tfcli.Workspace
	work   string
	logs   []string
	output bytes.Buffer // every command's stdout and stderr, labelled
	// lastOutput is the last command's stdout and stderr.
	lastOutput string
}

func newFaultRun(t *testing.T, bin, baseURL string) *faultRun {
	t.Helper()
	work := t.TempDir()
	configDir := filepath.Join(work, "config")
	if err := os.MkdirAll(configDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(configDir, "main.tf"), []byte(faultConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err := tfcli.New(work, bin, configDir, "GITHUB_BASE_URL="+baseURL, "GITHUB_TOKEN="+faultProviderToken,
		"TF_VAR_restore_token="+faultRestoreToken, "CHECKPOINT_DISABLE=1")
	if err != nil {
		t.Fatal(err)
	}
	return &faultRun{t: t, ws: ws, work: work}
}

// run runs one Terraform command with TRACE logging into a log of its own,
// and fails the test when the command outlives commandTimeout.
func (r *faultRun) run(args ...string) error {
	r.t.Helper()
	_, err := r.runOutput(args...)
	return err
}

func (r *faultRun) runOutput(args ...string) (string, error) {
	r.t.Helper()
	logPath := filepath.Join(r.work, fmt.Sprintf("trace-%d-%s.log", len(r.logs)+1, args[0]))
	r.logs = append(r.logs, logPath)
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	// Options before the arguments: import takes the address and ID last.
	cmd := exec.CommandContext(ctx, tfcli.Path(),
		append([]string{"-chdir=" + r.ws.Dir, args[0], "-no-color"}, args[1:]...)...)
	cmd.Env = append(slices.Clone(r.ws.Env), "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	killGroupOnCancel(cmd)
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err := cmd.Run()
	r.lastOutput = stdout.String() + stderr.String()
	fmt.Fprintf(&r.output, "--- terraform %s: stdout\n%s--- terraform %s: stderr\n%s",
		args[0], stdout.String(), args[0], stderr.String())
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		r.t.Errorf("terraform %s did not end within %s and was killed: it hangs\n%s",
			strings.Join(args, " "), commandTimeout, r.lastOutput)
	}
	r.t.Logf("terraform %s: %v in %s", args[0], exitStatus(err), time.Since(start).Round(10*time.Millisecond))
	return stdout.String(), err
}

func exitStatus(err error) string {
	if err == nil {
		return "exit 0"
	}
	return err.Error()
}

// show returns `terraform show -json` of the state.
func (r *faultRun) show() string {
	r.t.Helper()
	out, err := r.runOutput("show", "-json")
	if err != nil {
		r.t.Errorf("terraform show -json: %v\n%s", err, r.lastOutput)
	}
	return out
}

// traceLogs returns the TRACE logs written so far, joined.
func (r *faultRun) traceLogs() string {
	var all strings.Builder
	for _, path := range r.logs {
		text, _ := os.ReadFile(path)
		all.Write(text)
	}
	return all.String()
}

// expectRequests checks that the emulator served all n scripted faults to
// method requests on paths ending in suffix, so the run did meet them.
func (r *faultRun) expectRequests(fake *ghfake.Server, method, suffix string, n int) {
	r.t.Helper()
	got := 0
	for _, req := range fake.Requests() {
		if req.Method == method && strings.HasSuffix(req.Path, suffix) {
			got++
		}
	}
	if got < n {
		r.t.Errorf("%d %s requests to …%s, want at least the %d scripted faults", got, method, suffix, n)
	}
}

// assertNoSecrets looks for either token, and its URL-encoded forms, in the
// TRACE logs, the output, the state files and shown (show -json).
func (r *faultRun) assertNoSecrets(shown string) {
	r.t.Helper()
	sources := map[string]string{"terraform stdout/stderr": r.output.String(), "terraform show -json": shown}
	for _, path := range r.logs {
		text, err := os.ReadFile(path)
		if err != nil {
			r.t.Errorf("TRACE log %s: %v", filepath.Base(path), err)
			continue
		}
		sources["TRACE log "+filepath.Base(path)] = string(text)
	}
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if text, err := os.ReadFile(filepath.Join(r.ws.Dir, name)); err == nil {
			sources[name] = string(text)
		}
	}
	secrets := map[string][]string{
		"provider token": secretForms(faultProviderToken),
		"restore token":  secretForms(faultRestoreToken),
	}
	for _, source := range slices.Sorted(maps.Keys(sources)) {
		text := sources[source]
		for _, label := range []string{"provider token", "restore token"} {
			for _, form := range secrets[label] {
				if n := strings.Count(text, form); n > 0 {
					how := "verbatim"
					if form != secrets[label][0] {
						how = "URL-encoded"
					}
					r.t.Errorf("%s holds the %s %s (%d occurrences); first lines:\n%s", source, label, how, n,
						leakLines(text, form, secrets))
					break
				}
			}
		}
	}
}

// secretForms is a secret and its distinct URL-encoded forms.
func secretForms(s string) []string {
	forms := []string{s}
	for _, f := range []string{url.QueryEscape(s), url.PathEscape(s)} {
		if !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	return forms
}

// leakLines quotes up to three lines holding form, every secret replaced
// by <TOKEN> and each cut to 300 characters around the first one.
func leakLines(text, form string, secrets map[string][]string) string {
	var all []string
	for _, forms := range secrets {
		all = append(all, forms...)
	}
	slices.SortFunc(all, func(a, b string) int { return len(b) - len(a) }) // longest first
	var out []string
	for line := range strings.Lines(text) {
		if !strings.Contains(line, form) {
			continue
		}
		for _, s := range all {
			line = strings.ReplaceAll(line, s, "<TOKEN>")
		}
		line = strings.TrimRight(line, "\n")
		if i := strings.Index(line, "<TOKEN>"); len(line) > 300 {
			start := max(0, i-150)
			line = "…" + line[start:min(len(line), start+300)] + "…"
		}
		out = append(out, "    "+line)
		if len(out) == 3 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// errorLines keeps Terraform's diagnostics: the output from the first
// "Error:" on.
func errorLines(output string) string {
	if i := strings.Index(output, "Error:"); i >= 0 {
		return strings.TrimSpace(output[i:])
	}
	return output
}
