// Command ghpkg-emulator serves ghfake, the GitHub Packages emulator the
// tests use, on loopback, seeded with packages, so a configuration can be
// tried without a GitHub account:
//
//	make emulator                      # the default seed
//	make emulator SEED=my-seed.yaml    # packages of your own (YAML or JSON)
//	make emulator ARGS='-write-limit 6/30s -retry-after 3s -restore-lag 2'
//
// The last form rehearses a mass restore: writes beyond the limit are refused
// as GitHub refuses them over its secondary limit, and each restore stays
// invisible to a few GETs, as GitHub's answers lag behind one.
//
// It prints the base_url and token to give the provider, and the requests it
// answers, until interrupted. Its clock is the real one, so the dates it
// serves read right against the reader's (tests keep ghfake's fixed clock).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/cmd/ghpkg-emulator/seed"
	"github.com/ghpkg/terraform-provider-ghpkg/internal/tooling/ghfake"
)

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err == nil {
		err = run(o)
	}
	if err != nil {
		log.Fatalf("ghpkg-emulator: %v", err)
	}
}

func run(o options) error {
	s, err := seed.Load(o.seedPath)
	if err != nil {
		return err
	}
	fake, err := s.Emulator()
	if err != nil {
		return err
	}
	o.apply(fake)
	listener, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	if host, _, _ := net.SplitHostPort(listener.Addr().String()); !net.ParseIP(host).IsLoopback() {
		return fmt.Errorf("%s is not a loopback address; the provider accepts plain http only on loopback", o.addr)
	}
	baseURL := "http://" + listener.Addr().String()
	fmt.Printf("GitHub Packages emulator at %s with %d packages\n", baseURL, len(s.Packages))
	if limits := o.describe(); limits != "" {
		fmt.Printf("Limits: %s\n", limits)
	}
	fmt.Printf("\n  export GITHUB_BASE_URL=%s\n  export GITHUB_TOKEN=%s\n\n", baseURL, s.Token)
	fmt.Println("Then run terraform plan and apply in your configuration. Ctrl-C stops the emulator.")

	fake.OnRecord(func(r ghfake.Request) {
		fmt.Printf("%s %s %s %d\n", time.Now().Format("15:04:05"), r.Method, r.Path, r.Status)
	})
	server := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = server.Shutdown(context.Background())
	}()
	if err := server.Serve(listener); err != http.ErrServerClosed {
		return err
	}
	fmt.Printf("%d writes accepted, %d refused over the write limit, at most %d requests at once\n",
		fake.AcceptedWrites(), fake.RefusedWrites(), fake.PeakInFlight())
	return nil
}
