package httpapi

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Names of the metrics the server keeps itself.
const (
	metricRequests = "laurel_http_requests_total"
	metricDuration = "laurel_http_request_duration_seconds"
)

// latencyBuckets are the upper bounds, in seconds, of the latency
// histogram: from a health check to a large presentation.
var latencyBuckets = [...]float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metricName is the form the Prometheus text format allows.
var metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)

// Metrics keeps the server's counters and writes them in the Prometheus
// text exposition format (version 0.0.4). It is safe for concurrent use.
//
// Other packages count their own events through Counter: the wiring code
// registers a counter here and hands it, as a small interface with Inc, to
// the package that counts, so domain packages never import this one.
type Metrics struct {
	mu       sync.Mutex
	counters map[string]*Counter
	requests map[requestKey]uint64
	latency  map[string]*histogram
}

type requestKey struct {
	route string
	class string
}

type histogram struct {
	counts [len(latencyBuckets)]uint64
	count  uint64
	sum    float64
}

// NewMetrics returns an empty set of metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		counters: map[string]*Counter{},
		requests: map[requestKey]uint64{},
		latency:  map[string]*histogram{},
	}
}

// Counter is a monotonically increasing count, such as credentials
// issued. It is safe for concurrent use.
type Counter struct {
	name  string
	help  string
	value atomic.Uint64
}

// Inc adds one.
func (c *Counter) Inc() { c.value.Add(1) }

// Value returns the current count.
func (c *Counter) Value() uint64 { return c.value.Load() }

// Counter returns the counter registered as name, registering it with help
// text on first use, so two packages counting the same event share it.
// Counter panics when name is not a valid metric name or is one the server
// keeps itself: that is a programming error, found at start-up like a bad
// pattern given to regexp.MustCompile.
func (m *Metrics) Counter(name, help string) *Counter {
	if !metricName.MatchString(name) || strings.HasPrefix(name, metricRequests) ||
		strings.HasPrefix(name, metricDuration) {
		panic(fmt.Sprintf("httpapi: %q cannot name a counter", name))
	}

	m.mu.Lock()
	defer m.mu.Unlock()

	if c, ok := m.counters[name]; ok {
		return c
	}
	c := &Counter{name: name, help: help}
	m.counters[name] = c
	return c
}

// observe counts one answered request.
func (m *Metrics) observe(route string, status int, d time.Duration) {
	class := strconv.Itoa(status/100) + "xx"
	seconds := d.Seconds()

	m.mu.Lock()
	defer m.mu.Unlock()

	m.requests[requestKey{route, class}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{}
		m.latency[route] = h
	}
	// A value above every bound counts only towards +Inf, which is h.count.
	if i, _ := slices.BinarySearch(latencyBuckets[:], seconds); i < len(latencyBuckets) {
		h.counts[i]++
	}
	h.count++
	h.sum += seconds
}

// ServeHTTP writes the metrics for a scraper.
func (m *Metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = m.WriteTo(w)
}

// WriteTo writes every metric in the text exposition format, sorted by
// name and labels so that two scrapes compare line by line.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: bufio.NewWriter(w)}

	m.mu.Lock()
	m.writeRequests(cw)
	m.writeLatency(cw)
	m.writeCounters(cw)
	m.mu.Unlock()

	if err := cw.w.Flush(); err != nil && cw.err == nil {
		cw.err = err
	}
	return cw.n, cw.err
}

func (m *Metrics) writeRequests(w *countingWriter) {
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b requestKey) int {
		return strings.Compare(a.route+" "+a.class, b.route+" "+b.class)
	})

	w.header(metricRequests, "HTTP requests answered, by route and status class.", "counter")
	for _, k := range keys {
		w.printf("%s{route=%s,class=%s} %d\n",
			metricRequests, quote(k.route), quote(k.class), m.requests[k])
	}
}

func (m *Metrics) writeLatency(w *countingWriter) {
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	slices.Sort(routes)

	w.header(metricDuration, "Time to answer HTTP requests, by route template.", "histogram")
	for _, route := range routes {
		h, label := m.latency[route], quote(route)

		var cumulative uint64
		for i, le := range latencyBuckets {
			cumulative += h.counts[i]
			w.printf("%s_bucket{route=%s,le=\"%s\"} %d\n",
				metricDuration, label, formatFloat(le), cumulative)
		}

		w.printf("%s_bucket{route=%s,le=\"+Inf\"} %d\n", metricDuration, label, h.count)
		w.printf("%s_sum{route=%s} %s\n", metricDuration, label, formatFloat(h.sum))
		w.printf("%s_count{route=%s} %d\n", metricDuration, label, h.count)
	}
}

func (m *Metrics) writeCounters(w *countingWriter) {
	names := make([]string, 0, len(m.counters))
	for n := range m.counters {
		names = append(names, n)
	}
	slices.Sort(names)

	for _, n := range names {
		c := m.counters[n]
		w.header(n, c.help, "counter")
		w.printf("%s %d\n", n, c.Value())
	}
}

// quote writes a label value with the escapes the text format defines:
// backslash, double quote and line feed.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// countingWriter keeps the first write error and the bytes written, so the
// writers above stay free of error plumbing.
type countingWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countingWriter) printf(format string, args ...any) {
	if c.err != nil {
		return
	}
	n, err := fmt.Fprintf(c.w, format, args...)
	c.n += int64(n)
	c.err = err
}

// header writes the HELP and TYPE lines of a metric; help text escapes
// backslash and line feed.
func (c *countingWriter) header(name, help, typ string) {
	help = strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(help)
	c.printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}
