package httpapi

import (
	"bytes"
	"encoding/json"
	"github.com/laurel-badges/laurel/internal/gcdefault"
	"github.com/laurel-badges/laurel/internal/testkit"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkVerifyEndpoint posts the ten peer credentials in turn to POST
// /credentials/verify over real HTTP from GOMAXPROCS parallel clients, and
// reports the throughput and the median and 99th percentile latencies.
// It runs with the garbage collector settings laurel serve applies, set by
// the same function, so the figures are the server's.
func BenchmarkVerifyEndpoint(b *testing.B) {
	defer gcdefault.Apply(os.Getenv).Restore()
	ts := startServer(b)
	bodies := verifyBodies(b)
	ts.client.Transport.(*http.Transport).MaxIdleConnsPerHost = 4 * runtime.GOMAXPROCS(0)

	// Warm up: the first use of each context and schema is parsed and
	// cached, which is start-up cost, not steady state.
	for _, body := range bodies {
		if err := postVerify(ts, body); err != nil {
			b.Fatal(err)
		}
	}

	var (
		mu        sync.Mutex
		latencies []time.Duration
		next      atomic.Int64
	)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			body := bodies[int(next.Add(1))%len(bodies)]
			t0 := time.Now()
			if err := postVerify(ts, body); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()

	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	p50, p99 := latencies[len(latencies)/2], latencies[(len(latencies)*99)/100]
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
}

// verifyBodies encodes one verification request per peer credential.
func verifyBodies(b *testing.B) [][]byte {
	b.Helper()
	var bodies [][]byte
	for _, f := range peerFiles(b, "cred-*.json") {
		body, err := json.Marshal(map[string]any{"verifiableCredential": testkit.ReadJSON(b, f)})
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	return bodies
}

// postVerify sends one request and requires it verified; it does not call
// b.Fatal, which only the benchmark's own goroutine may.
func postVerify(ts *testServer, body []byte) error {
	resp, err := ts.client.Post(ts.url+"/credentials/verify", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()

	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return &statusError{resp.StatusCode}
	}
	return nil
}

type statusError struct{ status int }

func (e *statusError) Error() string { return "status " + http.StatusText(e.status) }
