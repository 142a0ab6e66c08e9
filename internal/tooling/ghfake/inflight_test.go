package ghfake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestPeakInFlight holds k requests in the OnRequest hook until all k have
// arrived, so exactly k are in flight at once whatever the scheduler does;
// a later request alone must not move the peak.
func TestPeakInFlight(t *testing.T) {
	t.Parallel()
	for _, k := range []int{1, 3, 12} {
		t.Run(fmt.Sprintf("%d at once", k), func(t *testing.T) {
			t.Parallel()
			fake := New()
			fake.AddToken("full", "read:packages")
			ts := httptest.NewServer(fake)
			t.Cleanup(ts.Close)
			arrived, release := make(chan struct{}, k+1), make(chan struct{})
			fake.OnRequest(func(string, string) {
				arrived <- struct{}{}
				<-release
			})
			errs := make(chan error, k)
			var wg sync.WaitGroup
			for range k {
				wg.Go(func() { errs <- sendGet(ts, "/users/octocat/packages/npm/app") })
			}
			for range k {
				<-arrived
			}
			held := fake.PeakInFlight()
			close(release)
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := sendGet(ts, "/users/octocat/packages/npm/app"); err != nil {
				t.Fatal(err)
			}
			if held != k || fake.PeakInFlight() != k {
				t.Errorf("peak %d while %d were held, %d after; want %d", held, k, fake.PeakInFlight(), k)
			}
		})
	}
}

// sendGet sends one authenticated GET from any goroutine (send's t.Fatal may
// run only on the test's own).
func sendGet(ts *httptest.Server, path string) error {
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer full")
	resp, err := ts.Client().Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
