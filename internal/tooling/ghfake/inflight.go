package ghfake

import "sync"

// flightMeter counts the requests being served and the most there were at
// once, so a test can hold a client to a bound on concurrent requests
// (GitHub's secondary limits allow at most 100).
type flightMeter struct {
	mu             sync.Mutex
	inFlight, peak int
}

func (m *flightMeter) enter() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inFlight++
	m.peak = max(m.peak, m.inFlight)
}

func (m *flightMeter) leave() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inFlight--
}

// PeakInFlight is the most requests the emulator was serving at once, from
// their arrival to their answer (or dropped connection), whatever they
// asked and however they were answered.
func (s *Server) PeakInFlight() int {
	s.flights.mu.Lock()
	defer s.flights.mu.Unlock()
	return s.flights.peak
}
