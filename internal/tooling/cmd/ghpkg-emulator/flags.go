package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

// options are the command's flags.
type options struct {
	addr, seedPath string
	// writeLimit and the two below are GitHub's secondary limit on writes,
	// off by default, so that a mass restore can be rehearsed.
	writeLimit  writeLimit
	retryAfter  time.Duration
	limitStatus int
	// restoreLag is how many GETs a restored package or version stays
	// invisible to, as GitHub's answers lag behind a restore.
	restoreLag int
}

// writeLimit is a -write-limit value: N writes per rolling window.
type writeLimit struct {
	n      int
	window time.Duration
}

func (l *writeLimit) String() string {
	if l.n == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%s", l.n, l.window)
}

// Set parses N/DURATION, such as 80/1m.
func (l *writeLimit) Set(v string) error {
	count, window, found := strings.Cut(v, "/")
	n, err := strconv.Atoi(count)
	if !found || err != nil || n < 1 {
		return fmt.Errorf("%q is not N/DURATION with N >= 1, such as 80/1m", v)
	}
	d, err := time.ParseDuration(window)
	if err != nil || d <= 0 {
		return fmt.Errorf("%q: the window must be a positive duration, such as 1m or 30s", v)
	}
	l.n, l.window = n, d
	return nil
}

// parseFlags reads the command line; usage and errors go to output.
func parseFlags(args []string, output io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("ghpkg-emulator", flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8787", "loopback address to listen on")
	fs.StringVar(&o.seedPath, "seed", "", "seed file (YAML or JSON); empty: the default seed (seed/default.yaml)")
	fs.Var(&o.writeLimit, "write-limit", "refuse writes (restores, deletes) beyond N per rolling DURATION, "+
		"as GitHub's secondary limit does (80/1m, 500/1h); N/DURATION, empty: no limit")
	fs.DurationVar(&o.retryAfter, "retry-after", time.Minute, "Retry-After of a write the limit refuses; negative: none")
	fs.IntVar(&o.limitStatus, "write-limit-status", 403, "status of a write the limit refuses: 403 or 429")
	fs.IntVar(&o.restoreLag, "restore-lag", 0, "GETs a restored package or version stays invisible to")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	switch {
	case fs.NArg() > 0:
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.limitStatus != 403 && o.limitStatus != 429:
		return options{}, fmt.Errorf("-write-limit-status %d: GitHub refuses with 403 or 429", o.limitStatus)
	case o.restoreLag < 0:
		return options{}, fmt.Errorf("-restore-lag %d: want 0 or more", o.restoreLag)
	}
	return o, nil
}

// apply sets the limits the options ask for on the emulator.
func (o options) apply(fake *ghfake.Server) {
	fake.SetRestoreLag(o.restoreLag)
	if o.writeLimit.n > 0 {
		fake.LimitWrites(o.writeLimit.n, o.writeLimit.window, o.retryAfter)
		fake.SetWriteLimitStatus(o.limitStatus)
	}
}

// describe says which limits are on, for the banner; "" when none is.
func (o options) describe() string {
	var parts []string
	if o.writeLimit.n > 0 {
		retry := "without Retry-After"
		if o.retryAfter >= 0 {
			retry = "with Retry-After " + o.retryAfter.String()
		}
		parts = append(parts, fmt.Sprintf("at most %d writes per %s, then %d %s",
			o.writeLimit.n, o.writeLimit.window, o.limitStatus, retry))
	}
	if o.restoreLag > 0 {
		parts = append(parts, fmt.Sprintf("a restore invisible to the next %d GETs", o.restoreLag))
	}
	return strings.Join(parts, "; ")
}
