package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/verifier"
	"github.com/laurel-badges/laurel/web"
)

// Defaults for the zero values of Config.
const (
	defaultMaxBody    = 1 << 20
	defaultVerifyWait = time.Second
)

// Config configures a Server. Only Verifier is required.
type Config struct {
	// Signer issues credentials for POST /credentials/issue. Nil means this
	// server does not issue: the endpoint answers 503.
	Signer *issuer.Signer
	// Verifier checks credentials and presentations; required.
	Verifier *verifier.Verifier
	// Fetch retrieves hosted credentials for POST /api/v1/verify with a
	// url. It should be Laurel's safe HTTP client; nil refuses URLs.
	Fetch func(ctx context.Context, url string) ([]byte, error)
	// Office is the badge office behind /api/v1, the public credential
	// links and OAuth. Nil means those routes answer 503 or 404, and the
	// server only verifies (and issues, with a Signer).
	Office *issuer.Service
	// Authorizer admits clients to the endpoints that need a scope (only
	// issuing, so far). Nil means no client is admitted: issuing answers
	// 401 to everyone, never opens to anyone.
	Authorizer Authorizer
	// Logger receives one line per request and the causes of failures.
	// Nil means logs are discarded.
	Logger *slog.Logger
	// Metrics receives the request counts and latencies and is served on
	// /metrics. Nil means the server keeps its own; Server.Metrics returns
	// it either way, for other packages to register counters.
	Metrics *Metrics
	// Ready reports whether the dependencies are ready to serve, for
	// /readyz. Nil means always ready.
	Ready func() error
	// MaxBody bounds a request body in bytes. Zero means 1 MiB.
	MaxBody int64
	// VerifyConcurrency bounds the verifications running at once. Zero
	// means twice GOMAXPROCS.
	VerifyConcurrency int
	// VerifyBudget bounds one verification, the documents it fetches
	// included. Zero means one second.
	VerifyBudget time.Duration
	// VerifyWait is how long a verification request waits for a slot
	// before it is answered 503 with Retry-After. Zero means one second.
	VerifyWait time.Duration
	// Now returns the current time, written as the created time of issued
	// proofs. Nil means time.Now.
	Now func() time.Time
}

// Server is Laurel's HTTP transport: one route table, one way of turning
// errors into answers, and the middleware every request passes through.
// It is safe for concurrent use.
type Server struct {
	signer       *issuer.Signer
	verifier     *verifier.Verifier
	office       *issuer.Service
	fetch        func(ctx context.Context, url string) ([]byte, error)
	auth         Authorizer
	log          *slog.Logger
	metrics      *Metrics
	ready        func() error
	now          func() time.Time
	maxBody      int64
	gate         *gate
	verifyBudget time.Duration
	issued       *Counter
	handler      http.Handler

	// The web pages: their templates, the cross-origin check of their
	// forms, and the sign-in attempt limits.
	pages          *web.Renderer
	crossOrigin    *http.CrossOriginProtection
	accountLimiter *attemptLimiter
	addressLimiter *attemptLimiter
}

// New returns a Server for cfg, or an error when cfg is unusable.
func New(cfg Config) (*Server, error) {
	if err := checkConfig(cfg); err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}

	s := &Server{
		signer:   cfg.Signer,
		verifier: cfg.Verifier,
		office:   cfg.Office,
		fetch:    cfg.Fetch,
		auth:     cfg.Authorizer,
		log:      cfg.Logger,
		metrics:  cfg.Metrics,
		ready:    cfg.Ready,
		now:      cfg.Now,
		maxBody:  cfg.MaxBody,
	}
	s.applyDefaults(cfg)
	pages, err := web.New()
	if err != nil {
		return nil, fmt.Errorf("httpapi: %w", err)
	}
	s.pages = pages
	s.crossOrigin = http.NewCrossOriginProtection()
	s.accountLimiter = newAttemptLimiter(accountAttempts, 15*time.Minute, s.now)
	s.addressLimiter = newAttemptLimiter(addressAttempts, 15*time.Minute, s.now)

	s.issued = s.metrics.Counter("laurel_credentials_issued_total",
		"Credentials issued through the VC API.")

	router := mux.NewRouter()
	router.NotFoundHandler = http.HandlerFunc(s.notFound)
	router.MethodNotAllowedHandler = s.methodNotAllowed(router)
	router.Use(markRoute)
	s.routes(router)

	s.handler = s.wrap(router)
	return s, nil
}

func checkConfig(cfg Config) error {
	switch {
	case cfg.Verifier == nil:
		return errors.New("a verifier is required")
	case cfg.MaxBody < 0:
		return errors.New("MaxBody is negative")
	case cfg.VerifyConcurrency < 0:
		return errors.New("VerifyConcurrency is negative")
	case cfg.VerifyWait < 0:
		return errors.New("VerifyWait is negative")
	case cfg.VerifyBudget < 0:
		return errors.New("VerifyBudget is negative")
	}
	return nil
}

func (s *Server) applyDefaults(cfg Config) {
	if s.auth == nil {
		s.auth = denyAll{}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.metrics == nil {
		s.metrics = NewMetrics()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody == 0 {
		s.maxBody = defaultMaxBody
	}

	slots, wait := cfg.VerifyConcurrency, cfg.VerifyWait
	if slots == 0 {
		slots = 2 * runtime.GOMAXPROCS(0)
	}
	if wait == 0 {
		wait = defaultVerifyWait
	}
	s.gate = newGate(slots, wait)
	s.verifyBudget = cfg.VerifyBudget
	if s.verifyBudget == 0 {
		s.verifyBudget = time.Second
	}
}

// Handler returns the handler serving every route, wrapped in the
// middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// Metrics returns the metrics the server writes to and serves.
func (s *Server) Metrics() *Metrics { return s.metrics }

// routes registers every route Laurel serves: the whole public surface,
// on one screen.
func (s *Server) routes(r *mux.Router) {
	// Operations: liveness, readiness, Prometheus scraping.
	r.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/readyz", s.readyz).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", s.metrics).Methods(http.MethodGet)

	// W3C VC API (VC-API.md §2-§4). Verifying is public; issuing needs
	// the credentials:issue scope.
	r.HandleFunc("/credentials/issue", s.issueCredential).Methods(http.MethodPost)
	r.HandleFunc("/credentials/verify", s.verifyCredential).Methods(http.MethodPost)
	r.HandleFunc("/presentations/verify", s.verifyPresentation).Methods(http.MethodPost)
	r.HandleFunc("/credentials/status", s.updateStatus).Methods(http.MethodPost)

	// Laurel's own API under /api/v1, the public documents credentials
	// link to, and the OAuth token endpoint.
	s.apiRoutes(r)

	// Pages for people: signing in, each role's pages, the public badge
	// pages and the verifier page.
	s.pageRoutes(r)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	err := fmt.Errorf("%w: %s", ErrNotFound, r.URL.Path)
	if wantsPage(r) && s.office != nil {
		s.page(func(w http.ResponseWriter, r *http.Request, v *visit) { s.pageError(w, r, v, err) })(w, r)
		return
	}
	s.writeError(w, r, err)
}

// methodNotAllowed answers 405 with the Allow header RFC 9110 §15.5.6
// requires: the methods of the routes whose path matches.
func (s *Server) methodNotAllowed(router *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", strings.Join(allowedMethods(router, r.URL.Path), ", "))
		s.writeError(w, r, fmt.Errorf("%w: %s", ErrMethod, r.Method))
	})
}

func allowedMethods(router *mux.Router, path string) []string {
	var methods []string
	_ = router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		pattern, err := route.GetPathRegexp()
		if err != nil {
			return nil
		}

		if ok, _ := regexp.MatchString(pattern, path); ok {
			m, _ := route.GetMethods()
			methods = append(methods, m...)
		}
		return nil
	})
	slices.Sort(methods)
	return slices.Compact(methods)
}

// healthz answers 200 while the process serves requests at all.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the dependencies are ready (Config.Ready), and
// 503 otherwise; the cause is logged, not shown.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		if err := s.ready(); err != nil {
			s.writeError(w, r, fmt.Errorf("%w: %w", ErrNotReady, err))
			return
		}
	}
	s.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ready"})
}
