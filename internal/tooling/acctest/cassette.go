package acctest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// canonicalOrigin is where every recorded request points, whichever server
// answered it, so cassettes do not depend on ports or GHES hosts.
const canonicalOrigin = "https://api.github.com"

// recordedRequestHeaders are the request headers a cassette keeps; the
// User-Agent (it names the Terraform version) and transport headers would
// make cassettes differ between machines.
var recordedRequestHeaders = []string{"Accept", "Authorization", "Content-Type", "X-Github-Api-Version"}

// canonicalRequest is the request a cassette holds for what the provider
// sent to the recorded server.
func canonicalRequest(r *http.Request, body []byte) (*http.Request, error) {
	target := canonicalOrigin + ghfake.APIPath(r.URL)
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	out, err := http.NewRequestWithContext(r.Context(), r.Method, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for _, key := range recordedRequestHeaders {
		if values := r.Header.Values(key); len(values) > 0 {
			out.Header[key] = values
		}
	}
	return out, nil
}

// requestKey is what strict matching compares: method, escaped path, query
// and body, with secrets scrubbed the same way the cassette was.
func requestKey(method string, u *url.URL, body string) string {
	key := method + " " + ghfake.APIPath(u)
	if q := ScrubQuery(u.Query()).Encode(); q != "" {
		key += "?" + q
	}
	if body = ScrubText(body); body != "" {
		key += " body=" + body
	}
	return key
}

func recordedKey(r cassette.Request) string {
	u, err := url.Parse(r.URL)
	if err != nil {
		return r.Method + " " + r.URL
	}
	return requestKey(r.Method, u, r.Body)
}

// normalize makes a captured interaction safe and stable before it is kept:
// secrets scrubbed, host-specific and timing fields dropped.
func normalize(i *cassette.Interaction) error {
	kept := http.Header{}
	for _, key := range recordedRequestHeaders {
		if values := i.Request.Headers.Values(key); len(values) > 0 {
			kept[key] = values
		}
	}
	ScrubHeader(kept)
	u, err := url.Parse(i.Request.URL)
	if err != nil {
		return err
	}
	u.RawQuery = ScrubQuery(u.Query()).Encode()
	i.Request.URL = u.String()
	i.Request.Headers = kept
	i.Request.Form = ScrubQuery(i.Request.Form)
	i.Request.Body = ScrubText(i.Request.Body)
	i.Request.Host, i.Request.RemoteAddr, i.Request.RequestURI = "", "", ""

	i.Response.Headers.Del("Date")
	ScrubHeader(i.Response.Headers)
	i.Response.Body = ScrubText(i.Response.Body)
	i.Response.Duration = 0
	return nil
}

// newRecorder records every exchange with upstream into the cassette at
// path (without .yaml), written when the recorder stops.
func newRecorder(path string, upstream http.RoundTripper) (*recorder.Recorder, error) {
	return recorder.New(path,
		recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithRealTransport(upstream),
		recorder.WithSkipRequestLatency(true),
		recorder.WithHook(normalize, recorder.AfterCaptureHook),
	)
}

// replayer answers from a cassette. Each interaction answers once, so
// repeated identical requests get their answers in recorded order.
type replayer struct {
	path     string
	cassette *cassette.Cassette
	report   func(format string, args ...any)

	mu   sync.Mutex
	used []bool
}

func loadReplayer(path string, report func(string, ...any)) (*replayer, error) {
	c, err := cassette.Load(path)
	if err != nil {
		return nil, fmt.Errorf("cannot load cassette %s.yaml (%w); record it with `make cassettes`", path, err)
	}
	return &replayer{path: path, cassette: c, report: report, used: make([]bool, len(c.Interactions))}, nil
}

func (p *replayer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	key := requestKey(r.Method, r.URL, string(body))
	i, ok := p.take(key)
	if !ok {
		p.report("recorded server: no unused interaction in %s.yaml matches\n  %s\nnearest recorded:\n  %s\n"+
			"If the provider's requests changed on purpose, re-record with `make cassettes`.", p.path, key, p.nearest(key))
		writeGitHubError(w, http.StatusNotImplemented, "No recorded interaction matches this request")
		return
	}
	for k, values := range i.Response.Headers {
		w.Header()[k] = values
	}
	if w.Header().Get("Retry-After") != "" {
		// The recorded wait was the emulator's or GitHub's; the next answer
		// is already in the cassette, so replay does not wait for it.
		w.Header().Set("Retry-After", "0")
	}
	w.WriteHeader(i.Response.Code)
	_, _ = io.WriteString(w, i.Response.Body)
}

func (p *replayer) take(key string) (*cassette.Interaction, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for n, i := range p.cassette.Interactions {
		if !p.used[n] && recordedKey(i.Request) == key {
			p.used[n] = true
			return i, true
		}
	}
	return nil, false
}

// nearest names the recorded request most like key, to make a mismatch
// readable: same method and path first, then query and body.
func (p *replayer) nearest(key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	best, bestScore := "(the cassette has no interactions)", -1
	for n, i := range p.cassette.Interactions {
		candidate := recordedKey(i.Request)
		score := commonPrefix(candidate, key)
		if !p.used[n] {
			score++ // prefer one that could still answer
		}
		if score > bestScore {
			best, bestScore = fmt.Sprintf("%s (interaction %d, used: %t)", candidate, i.ID, p.used[n]), score
		}
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// unused lists the interactions no request asked for.
func (p *replayer) unused() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var left []string
	for n, i := range p.cassette.Interactions {
		if !p.used[n] {
			left = append(left, fmt.Sprintf("%s (interaction %d)", recordedKey(i.Request), i.ID))
		}
	}
	return left
}

func writeGitHubError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"message":%q,"documentation_url":"https://docs.github.com/rest"}`, message)
}

// cassetteName turns a test name into a file name: subtests get their own
// cassette, and no name can leave the cassette directory.
func cassetteName(testName string) string {
	return strings.NewReplacer("/", "__", "\\", "_", " ", "_", "..", "_").Replace(testName)
}
