// Package acctest is the acceptance-test harness: a recorded server that the
// provider reaches only through base_url, and shared configuration helpers.
//
// Modes, chosen by the environment (see README.md):
//
//	VCR_MODE unset or REPLAY_ONLY  answer from the test's cassette (default)
//	VCR_MODE=RECORD_ONLY           forward to ghfake, or to GitHub when
//	                               GHPKG_ACC_TARGET=github, and rewrite the cassette
//	VCR_MODE=OFF                   serve ghfake directly, no cassette
//
// In every mode each request and answer is checked against GitHub's OpenAPI
// contract, and the requests the provider sent are logged for assertions.
package acctest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/contract"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// Token is the classic token the harness's GitHub accepts. It is not a
// secret and deliberately looks like none; against GitHub the recorded
// server swaps it for GITHUB_TOKEN.
const Token = "acctest-classic-token"

// Mode says where answers come from.
type Mode string

// The modes, named as in the AWS provider's go-vcr support.
const (
	ModeReplay   Mode = "REPLAY_ONLY"
	ModeRecord   Mode = "RECORD_ONLY"
	ModeEmulator Mode = "OFF"
)

// DefaultCassetteDir is relative to the test's package directory.
const DefaultCassetteDir = "testdata/cassettes"

// Options configure a recorded server.
type Options struct {
	Mode        Mode
	CassetteDir string
	// Cassette names the cassette; empty means the test's name.
	Cassette string
	// Live is the GitHub to record against; nil records against ghfake.
	Live *Live
}

// OptionsFromEnv reads VCR_MODE, VCR_PATH and, for recording against
// GitHub, GHPKG_ACC_TARGET=github, GITHUB_TOKEN, GHPKG_ACC_OWNER,
// GITHUB_BASE_URL and the optional GHPKG_ACC_ORG (without it, tests of an
// organisation's packages skip).
func OptionsFromEnv() (Options, error) {
	opts := Options{Mode: Mode(os.Getenv("VCR_MODE")), CassetteDir: os.Getenv("VCR_PATH")}
	if opts.Mode == "" {
		opts.Mode = ModeReplay
	}
	if opts.CassetteDir == "" {
		opts.CassetteDir = DefaultCassetteDir
	}
	switch target := os.Getenv("GHPKG_ACC_TARGET"); target {
	case "", "ghfake":
	case "github":
		if opts.Mode != ModeRecord {
			return opts, fmt.Errorf("GHPKG_ACC_TARGET=github needs VCR_MODE=RECORD_ONLY")
		}
		live, err := NewLive(os.Getenv("GITHUB_BASE_URL"), os.Getenv("GITHUB_TOKEN"), os.Getenv("GHPKG_ACC_OWNER"), nil)
		if err != nil {
			return opts, err
		}
		live.Org = strings.TrimSpace(os.Getenv("GHPKG_ACC_ORG"))
		if live.Org != "" && strings.EqualFold(live.Org, live.Owner) {
			return opts, fmt.Errorf("GHPKG_ACC_ORG=%q is GHPKG_ACC_OWNER: it must name an organisation, not the user", live.Org)
		}
		opts.Live = live
	default:
		return opts, fmt.Errorf("GHPKG_ACC_TARGET=%q: want ghfake or github", target)
	}
	switch opts.Mode {
	case ModeReplay, ModeRecord, ModeEmulator:
		return opts, nil
	}
	return opts, fmt.Errorf("VCR_MODE=%q: want REPLAY_ONLY (default), RECORD_ONLY or OFF", opts.Mode)
}

// Server is the GitHub an acceptance test talks to.
type Server struct {
	// RequestLog holds the requests the provider sent, in every mode.
	ghfake.RequestLog
	URL  string
	opts Options
	fake *ghfake.Server
	t    testing.TB

	// Against GitHub, the preparations the test asked for, done before the
	// first request its provider sends (see prepare).
	prepMu  sync.Mutex
	pending []func(context.Context) error
}

// NewServer starts the recorded server the environment asks for; it stops
// when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	opts, err := OptionsFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	return Start(t, opts)
}

// Start starts a recorded server with explicit options.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{opts: opts, fake: ghfake.New(), t: t}
	s.fake.AddToken(Token, "read:packages", "write:packages")
	answers, err := s.answers()
	if err != nil {
		t.Fatal(err)
	}
	if opts.Live != nil {
		answers = s.preparedFirst(answers)
	}
	v, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Logged(v.Handler(answers, func(err error) { t.Errorf("contract violation: %v", err) })))
	t.Cleanup(ts.Close)
	s.URL = ts.URL
	return s
}

// answers is the handler of the mode: cassette, recording proxy or ghfake.
func (s *Server) answers() (http.Handler, error) {
	name := s.opts.Cassette
	if name == "" {
		name = s.t.Name()
	}
	path := filepath.Join(s.opts.CassetteDir, cassetteName(name))
	switch s.opts.Mode {
	case ModeEmulator:
		return s.fake, nil
	case ModeRecord:
		var upstream http.RoundTripper = handlerTransport{s.fake}
		if s.opts.Live != nil {
			upstream = s.opts.Live
		}
		rec, err := newRecorder(path, upstream)
		if err != nil {
			return nil, err
		}
		s.t.Cleanup(func() {
			if s.t.Skipped() {
				return // keep the cassette a newer Terraform recorded
			}
			if err := rec.Stop(); err != nil {
				s.t.Errorf("writing cassette %s.yaml: %v", path, err)
			}
		})
		return recordingProxy{rec}, nil
	default:
		rp, err := loadReplayer(path, s.t.Errorf)
		if err != nil {
			return nil, err
		}
		s.t.Cleanup(func() {
			if left := rp.unused(); len(left) > 0 && !s.t.Failed() && !s.t.Skipped() {
				s.t.Errorf("recorded server: %d interactions of %s.yaml were never requested:\n  %s\n"+
					"If the provider stopped sending them on purpose, re-record with `make cassettes`.",
					len(left), path, strings.Join(left, "\n  "))
			}
		})
		return rp, nil
	}
}

// recordingProxy sends each request through the go-vcr recorder, which
// forwards it to the upstream and keeps the scrubbed interaction.
type recordingProxy struct{ rec http.RoundTripper }

func (p recordingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req, err := canonicalRequest(r, body)
	if err == nil {
		var resp *http.Response
		if resp, err = p.rec.RoundTrip(req); err == nil {
			defer func() { _ = resp.Body.Close() }()
			for k, values := range resp.Header {
				w.Header()[k] = values
			}
			w.WriteHeader(resp.StatusCode)
			_, _ = io.Copy(w, resp.Body)
			return
		}
	}
	writeGitHubError(w, http.StatusBadGateway, "recording proxy: "+ScrubText(err.Error()))
}

// AddPackage makes p visible: in the emulator, or on GitHub by restoring it
// (before the provider's first request, see prepare).
func (s *Server) AddPackage(p ghfake.Package) ghfake.Package {
	s.t.Helper()
	if s.opts.Live != nil {
		s.skipWithoutOrg(p)
		s.later(func(ctx context.Context) error { return s.opts.Live.ensureVisible(ctx, p) })
		return p
	}
	return s.fake.AddPackage(p)
}

// AddDeletedPackage makes p a package deleted ago. GitHub cannot age a
// deletion, so against GitHub a test that needs an expired one skips.
func (s *Server) AddDeletedPackage(p ghfake.Package, ago time.Duration) ghfake.Package {
	s.t.Helper()
	if s.opts.Live != nil {
		s.skipWithoutOrg(p)
		if ago > ghfake.RestoreWindow {
			s.t.Skip("GitHub cannot backdate a deletion; this test runs against ghfake and cassettes only")
		}
		s.later(func(ctx context.Context) error {
			if err := s.opts.Live.ensureVisible(ctx, p); err != nil {
				return err
			}
			return s.opts.Live.ensureDeleted(ctx, p)
		})
		return p
	}
	return s.fake.AddDeletedPackage(p, ago)
}

// later queues a preparation of GitHub. A test sets up before
// resource.ParallelTest pauses it, and paused tests share the live packages:
// preparing at once would let the next test's setup undo this one's (restore
// the package this one deleted). Done before the first request instead, it
// runs when this test runs, alone under -parallel 1.
func (s *Server) later(prep func(context.Context) error) {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	s.pending = append(s.pending, prep)
}

// prepare does the queued preparations of GitHub, in order, once.
func (s *Server) prepare(ctx context.Context) error {
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	pending := s.pending
	s.pending = nil
	for _, prep := range pending {
		if err := prep(ctx); err != nil {
			return fmt.Errorf("preparing GitHub: %w", err)
		}
	}
	return nil
}

// preparedFirst prepares GitHub before answering a request.
func (s *Server) preparedFirst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.prepare(s.t.Context()); err != nil {
			s.t.Errorf("%v", err)
			writeGitHubError(w, http.StatusBadGateway, "recording proxy: "+ScrubText(err.Error()))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// DeletePackage deletes p behind Terraform's back. In replay the cassette
// already holds the answers that follow the deletion, so it does nothing.
func (s *Server) DeletePackage(p ghfake.Package) error {
	switch {
	case s.opts.Live != nil:
		s.skipWithoutOrg(p)
		if err := s.prepare(s.t.Context()); err != nil {
			return err
		}
		return s.opts.Live.ensureDeleted(s.t.Context(), p)
	case s.opts.Mode == ModeReplay:
		return nil
	}
	return s.fake.DeletePackage(p)
}

// skipWithoutOrg skips a test of an organisation's package recorded against
// GitHub without GHPKG_ACC_ORG; against ghfake or a cassette it runs.
func (s *Server) skipWithoutOrg(p ghfake.Package) {
	s.t.Helper()
	if p.Org && s.opts.Live != nil && s.opts.Live.Org == "" {
		s.t.Skipf("uses the organisation %s's packages: set GHPKG_ACC_ORG to record it against GitHub (see README.md)", Org)
	}
}

// Emulator returns ghfake for controls only an emulator has (restore lag,
// request hooks, extra tokens, its clock). Against GitHub the test skips.
func (s *Server) Emulator() *ghfake.Server {
	s.t.Helper()
	if s.opts.Live != nil {
		s.t.Skip("needs emulator-only controls; runs against ghfake and cassettes only")
	}
	return s.fake
}

// EmulatorState returns ghfake when its state reflects what the provider
// did, that is when ghfake answered (not when a cassette or GitHub did).
func (s *Server) EmulatorState() (*ghfake.Server, bool) {
	return s.fake, s.opts.Live == nil && s.opts.Mode != ModeReplay
}

// ProviderConfig is a provider block pointing at the server with a token.
func (s *Server) ProviderConfig(token string) string {
	return fmt.Sprintf(`
provider "ghpkg" {
  base_url = %[1]q
  token    = %[2]q
}
`, s.URL, token)
}

// StartScale starts the emulator for a scale test: one that counts requests
// over many resources. Its outcome depends neither on VCR_MODE nor on the
// Terraform version, so CI runs it once (make test) and sets
// GHPKG_ACC_SKIP_SCALE=1 for its other acceptance runs.
func StartScale(t testing.TB) *Server {
	t.Helper()
	if os.Getenv("GHPKG_ACC_SKIP_SCALE") != "" {
		t.Skip("scale test: it runs in make test; skipped here because GHPKG_ACC_SKIP_SCALE is set")
	}
	return Start(t, Options{Mode: ModeEmulator})
}
