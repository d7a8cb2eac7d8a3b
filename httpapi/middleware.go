package httpapi

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gorilla/mux"
)

// unmatchedRoute is the route label of requests no route matched, so that
// scanners probing random paths cannot grow the metrics without bound.
const unmatchedRoute = "unmatched"

// requestInfo is what the middleware learns about a request as it passes
// through: the id it was given and the route template that matched.
type requestInfo struct {
	id    string
	route string
}

type infoKey struct{}

// infoOf returns the request's info, or nil outside the middleware.
func infoOf(r *http.Request) *requestInfo {
	info, _ := r.Context().Value(infoKey{}).(*requestInfo)
	return info
}

// requestID returns the id the middleware gave r, or "-" outside it.
func requestID(r *http.Request) string {
	if info := infoOf(r); info != nil {
		return info.id
	}
	return "-"
}

// wrap puts the middleware around h, outermost first: request id, security
// headers, access log and metrics, panic recovery, draining refused bodies.
func (s *Server) wrap(h http.Handler) http.Handler {
	h = withDrainedRefusals(h)
	return withRequestID(withSecurityHeaders(s.withAccessLog(s.withRecovery(h))))
}

// withRequestID gives every request a fresh random id, echoed in the
// X-Request-Id header and written on every log line about the request. An
// id sent by the client is not reused: it could collide with another
// request's on purpose.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := &requestInfo{id: rand.Text(), route: unmatchedRoute}
		w.Header().Set("X-Request-Id", info.id)

		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
	})
}

// markRoute records the path template of the matched route. It runs as
// router middleware, after matching, which is the only place mux knows it;
// templates (never raw paths) keep log lines and metric labels bounded.
func markRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := infoOf(r)
		if route := mux.CurrentRoute(r); info != nil && route != nil {
			if tmpl, err := route.GetPathTemplate(); err == nil {
				info.route = tmpl
			}
		}

		next.ServeHTTP(w, r)
	})
}

// withSecurityHeaders sets the headers every answer carries. The API
// answers JSON only: nothing may be sniffed, framed, cached or referred.
// Pages served later set their own Content-Security-Policy.
func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}

		next.ServeHTTP(w, r)
	})
}

// withAccessLog writes one log line per request and feeds the request
// metrics.
func (s *Server) withAccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)

		s.logRequest(r, rec, time.Since(start))
	})
}

// logRequest counts an answered request and writes its log line, with the
// fixed keys method, route, status, duration_ms, request_id and bytes.
func (s *Server) logRequest(r *http.Request, rec *recorder, elapsed time.Duration) {
	route, id := unmatchedRoute, "-"
	if info := infoOf(r); info != nil {
		route, id = info.route, info.id
	}
	s.metrics.observe(route, rec.status, elapsed)

	s.log.LogAttrs(r.Context(), accessLevel(rec.status), "request",
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", rec.status),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.String("request_id", id),
		slog.Int64("bytes", rec.bytes))
}

// accessLevel logs server failures as errors and overload as a warning.
func accessLevel(status int) slog.Level {
	switch {
	case status == http.StatusServiceUnavailable:
		return slog.LevelWarn
	case status >= http.StatusInternalServerError:
		return slog.LevelError
	}
	return slog.LevelInfo
}

// withRecovery turns a panicking handler into a 500 problem answer, so one
// bad request cannot take the server down, and logs the stack.
func (s *Server) withRecovery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.recovered(w, r, v)
			}
		}()

		next.ServeHTTP(w, r)
	})
}

// recovered logs a panic with its stack and answers 500, unless the
// handler had started its answer already.
func (s *Server) recovered(w http.ResponseWriter, r *http.Request, v any) {
	if v == http.ErrAbortHandler {
		// net/http's own way to abort a response: let it do so.
		panic(v)
	}

	s.log.ErrorContext(r.Context(), "handler panicked", "request_id", requestID(r),
		"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	if rec, ok := w.(*recorder); !ok || !rec.wrote {
		s.writeError(w, r, fmt.Errorf("handler panicked: %v", v))
	}
}

// recorder remembers the status and size of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
