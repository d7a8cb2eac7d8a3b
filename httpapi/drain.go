package httpapi

import (
	"io"
	"net/http"
	"time"
)

// Limits on reading a refused body. A client that sends more than 32 MiB,
// or takes more than 10 s to send it, has its connection closed instead.
const (
	drainLimit = 32 << 20
	drainTime  = 10 * time.Second
)

// withDrainedRefusals reads what is left of a request body, within
// drainLimit and drainTime, before a 413 Content Too Large is written.
// Many clients (Python's among them) send the whole body before they read
// the answer; when the server closed the connection after its first
// megabyte, as net/http does once a body limit is hit, they saw a reset
// connection instead of the problem details that say what the limit is.
func withDrainedRefusals(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&drainingWriter{ResponseWriter: w, body: r.Body}, r)
	})
}

// drainingWriter drains body when the handler refuses it as too large.
// body is the request body as the server made it, beneath any
// http.MaxBytesReader the handler added.
type drainingWriter struct {
	http.ResponseWriter
	body io.Reader
}

func (d *drainingWriter) WriteHeader(code int) {
	if code == http.StatusRequestEntityTooLarge {
		rc := http.NewResponseController(d.ResponseWriter)
		_ = rc.SetReadDeadline(time.Now().Add(drainTime))
		_, _ = io.Copy(io.Discard, io.LimitReader(d.body, drainLimit))
	}
	d.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (d *drainingWriter) Unwrap() http.ResponseWriter { return d.ResponseWriter }
