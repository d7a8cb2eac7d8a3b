package httpapi

import (
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// sample is one line of the text exposition format: a name, optional
// labels, and a value.
var sample = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? ` +
	`([0-9.eE+-]+|\+Inf|NaN)$`)

func TestMetricsExposition(t *testing.T) {
	ts := startServer(t)
	ts.issue(t, credential(ts.did))
	ts.get(t, "/healthz")
	ts.get(t, "/nowhere")

	a := ts.get(t, "/metrics")
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("status %d, Content-Type %q", a.status, a.header.Get("Content-Type"))
	}

	text := string(a.raw)
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		comment := strings.HasPrefix(line, "# HELP ") || strings.HasPrefix(line, "# TYPE ")
		if !comment && !sample.MatchString(line) {
			t.Errorf("malformed line %q", line)
		}
	}
	for _, want := range []string{
		`laurel_http_requests_total{route="/healthz",class="2xx"} 1`,
		`laurel_http_requests_total{route="/credentials/issue",class="2xx"} 1`,
		`laurel_http_requests_total{route="unmatched",class="4xx"} 1`,
		`laurel_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"} 1`,
		`laurel_http_request_duration_seconds_count{route="/credentials/issue"} 1`,
		"# TYPE laurel_credentials_issued_total counter",
		"laurel_credentials_issued_total 1",
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
}

func TestHistogramBuckets(t *testing.T) {
	m := NewMetrics()
	m.observe("/x", 200, 3*time.Millisecond)
	m.observe("/x", 200, 30*time.Millisecond)
	m.observe("/x", 500, time.Minute)

	var b strings.Builder
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`_bucket{route="/x",le="0.005"} 1`,
		`_bucket{route="/x",le="0.05"} 2`,
		`_bucket{route="/x",le="10"} 2`,
		`_bucket{route="/x",le="+Inf"} 3`,
		`_count{route="/x"} 3`,
		`laurel_http_requests_total{route="/x",class="5xx"} 1`,
	} {
		if !strings.Contains(b.String(), want+"\n") {
			t.Errorf("missing %q in:\n%s", want, b.String())
		}
	}
}

func TestCounters(t *testing.T) {
	m := NewMetrics()
	c := m.Counter("laurel_badges_approved_total", "Badges approved.\nBy reviewers.")
	if m.Counter("laurel_badges_approved_total", "again") != c {
		t.Fatal("a second registration made a second counter")
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				c.Inc()
			}
		})
	}
	wg.Wait()
	if c.Value() != 8000 {
		t.Fatalf("value %d", c.Value())
	}

	var b strings.Builder
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "# HELP laurel_badges_approved_total Badges approved.\\nBy reviewers.\n") {
		t.Fatalf("help not escaped:\n%s", b.String())
	}
}

func TestCounterRefusesBadNames(t *testing.T) {
	for _, name := range []string{"", "1abc", "has space", metricRequests} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%q accepted", name)
				}
			}()
			NewMetrics().Counter(name, "")
		}()
	}
}
