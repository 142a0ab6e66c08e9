// Command ghpkg-emulator serves ghfake, the GitHub Packages emulator the
// tests use, on loopback, seeded with packages, so a configuration can be
// tried without a GitHub account:
//
//	make emulator                      # the default seed
//	make emulator SEED=my-seed.yaml    # packages of your own (YAML or JSON)
//
// It prints the base_url and token to give the provider, and the requests it
// answers, until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8787", "loopback address to listen on")
	seedPath := flag.String("seed", "", "seed file (YAML or JSON); empty: a built-in example")
	flag.Parse()
	if err := run(*addr, *seedPath); err != nil {
		log.Fatalf("ghpkg-emulator: %v", err)
	}
}

func run(addr, seedPath string) error {
	s, err := loadSeed(seedPath)
	if err != nil {
		return err
	}
	fake, err := s.emulator()
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if host, _, _ := net.SplitHostPort(listener.Addr().String()); !net.ParseIP(host).IsLoopback() {
		return fmt.Errorf("%s is not a loopback address; the provider accepts plain http only on loopback", addr)
	}
	baseURL := "http://" + listener.Addr().String()
	fmt.Printf("GitHub Packages emulator at %s with %d packages\n\n", baseURL, len(s.Packages))
	fmt.Printf("  export GITHUB_BASE_URL=%s\n  export GITHUB_TOKEN=%s\n\n", baseURL, s.Token)
	fmt.Println("Then run terraform plan and apply in your configuration. Ctrl-C stops the emulator.")

	logged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		before := len(fake.Requests())
		fake.ServeHTTP(w, r)
		if reqs := fake.Requests(); len(reqs) > before {
			last := reqs[len(reqs)-1]
			fmt.Printf("%s %s %s %d\n", time.Now().Format("15:04:05"), last.Method, last.Path, last.Status)
		}
	})
	server := &http.Server{Handler: logged, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = server.Shutdown(context.Background())
	}()
	if err := server.Serve(listener); err != http.ErrServerClosed {
		return err
	}
	return nil
}
