package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/examples"
	"github.com/laurel-badges/laurel/fetch"
	"github.com/laurel-badges/laurel/httpapi"
	"github.com/laurel-badges/laurel/internal/gcdefault"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/verifier"
)

type serveOptions struct {
	office     officeOptions
	addr       string
	tlsCert    string
	tlsKey     string
	selfSigned bool
	demo       bool
	adminEmail string
	trust      []string
}

func newServeCmd() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the badge office: the API, the W3C VC API and the public credential links",
		Long: fmt.Sprintf(`Serve runs the badge office on the data folder (default ./laurel-data),
creating it on first run with an Ed25519 issuer key and a did:key issuer, and
printing a one-time administrator token. It stops cleanly on SIGINT or SIGTERM.

The server runs its garbage collector at GOGC=%d with GOMEMLIMIT=%dMiB, which
suits its small live heap and high allocation rate; set either environment
variable to override it (GOMEMLIMIT below the memory of a smaller machine).`,
			gcdefault.GCPercent, gcdefault.MemoryLimit>>20),
		Args: cobra.NoArgs,
		RunE: o.run,
	}
	o.office.addFlags(cmd)
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with this certificate (PEM)")
	f.StringVar(&o.tlsKey, "tls-key", "", "private key of --tls-cert (PEM)")
	f.BoolVar(&o.selfSigned, "tls-self-signed", false, "serve HTTPS with a fresh self-signed certificate (local runs)")
	f.BoolVar(&o.demo, "demo", false, "on first run, load the Maple Valley sample district")
	f.StringVar(&o.adminEmail, "admin-email", "admin@localhost",
		"on first run, the email the administrator signs in with")
	f.StringArrayVar(&o.trust, "trust", nil, "ISSUER=NAME: an issuer the verifier names as trusted (repeatable)")
	return cmd
}

func (o *serveOptions) run(cmd *cobra.Command, _ []string) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
	logGC(logger, gcdefault.Apply(os.Getenv))

	ln, scheme, err := o.listen()
	if err != nil {
		return usageError(err)
	}
	if o.office.publicURL == "" {
		o.office.publicURL = scheme + "://" + ln.Addr().String()
	}

	metrics := httpapi.NewMetrics()
	o.office.issued = metrics.Counter("laurel_credentials_issued_total", "Credentials issued.")
	off, err := o.office.open(ctx, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer off.Close()

	if err := o.welcome(ctx, cmd.OutOrStdout(), off); err != nil {
		ln.Close()
		return err
	}
	fmt.Fprintln(cmd.OutOrStdout())

	trusted, err := parsePairs("--trust", o.trust)
	if err != nil {
		ln.Close()
		return usageError(err)
	}
	handler, err := newHandler(off, logger, metrics, trusted)
	if err != nil {
		ln.Close()
		return err
	}
	return serveUntilDone(ctx, ln, handler, logger)
}

// logGC says which garbage collector settings the server runs with, and
// whether they are Laurel's defaults or the operator's.
func logGC(logger *slog.Logger, gc gcdefault.Applied) {
	gogc, gomemlimit := os.Getenv("GOGC"), os.Getenv("GOMEMLIMIT")
	if gc.GCPercent != 0 {
		gogc = strconv.Itoa(gc.GCPercent) + " (laurel default)"
	}
	if gc.MemoryLimit != 0 {
		gomemlimit = strconv.FormatInt(gc.MemoryLimit>>20, 10) + "MiB (laurel default)"
	}
	logger.Info("garbage collector", "gogc", gogc, "gomemlimit", gomemlimit)
}

// listen opens the listening socket, with TLS when asked.
func (o *serveOptions) listen() (net.Listener, string, error) {
	cfg, err := o.tlsConfig()
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return nil, "", err
	}
	if cfg == nil {
		return ln, "http", nil
	}
	return tls.NewListener(ln, cfg), "https", nil
}

func (o *serveOptions) tlsConfig() (*tls.Config, error) {
	switch {
	case o.tlsCert != "" && o.selfSigned:
		return nil, errors.New("--tls-cert and --tls-self-signed exclude each other")
	case o.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			return nil, fmt.Errorf("loading TLS certificate: %w", err)
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
	case o.selfSigned:
		cert, err := selfSignedCert()
		if err != nil {
			return nil, err
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
	}
	return nil, nil
}

// selfSignedCert makes a certificate for localhost and 127.0.0.1, valid
// for a week, held in memory only.
func selfSignedCert() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "laurel local"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(7 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("creating self-signed certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// welcome prints where the data and keys are and, on first run, a one-time
// administrator token (and the demo accounts with --demo).
func (o *serveOptions) welcome(ctx context.Context, w io.Writer, off *office) error {
	fmt.Fprintf(w, "Laurel badge office\n  data    %s\n  keys    %s\n  issuer  %s\n  url     %s\n",
		filepath.Join(o.office.dataDir, "laurel.db"), filepath.Join(o.office.dataDir, "keys"),
		off.issuer.DID, off.svc.PublicURL())
	if !off.created {
		return nil
	}

	admin, token, err := off.svc.AddUser(ctx, "Administrator", o.adminEmail, issuer.RoleAdmin)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  admin token (shown once, stored only as a hash): %s\n", token)
	if err := printInvitation(ctx, w, off, admin, admin, "admin sign-in"); err != nil {
		return err
	}

	if !o.demo {
		return nil
	}
	demo, err := examples.LoadDemo(ctx, off.svc)
	if err != nil {
		return fmt.Errorf("loading the sample district: %w", err)
	}
	for _, p := range demo.People {
		fmt.Fprintf(w, "  demo %-8s %-16s token %s\n", p.User.Role, p.User.Name, p.Token)
		if err := printInvitation(ctx, w, off, admin, p.User, "       sign-in"); err != nil {
			return err
		}
	}
	return nil
}

// printInvitation prints a link where person sets a password to sign in
// to the pages.
func printInvitation(ctx context.Context, w io.Writer, off *office, admin, person *issuer.User, label string) error {
	inv, err := off.svc.Reinvite(ctx, admin, person.ID)
	if err != nil {
		return fmt.Errorf("inviting %s: %w", person.Name, err)
	}
	fmt.Fprintf(w, "  %s (%s, link valid %d days): %s/invite/%s\n", label, person.Email,
		int(issuer.InvitationLifetime.Hours()/24), off.svc.PublicURL(), inv.Token)
	return nil
}

// newHandler wires the HTTP transport to the office.
func newHandler(off *office, logger *slog.Logger, metrics *httpapi.Metrics,
	trusted map[string]string) (http.Handler, error) {
	// One safe client fetches what the verifier needs from other issuers
	// (did:web documents, issuer profiles, status lists) and hosted
	// credentials; this office's own lists and keys come from its store.
	client, err := fetch.New(fetch.Config{})
	if err != nil {
		return nil, err
	}
	remote := func(ctx context.Context, url string) ([]byte, error) { return client.Get(ctx, url) }
	v, err := verifier.New(verifier.Config{
		Fetch:          remote,
		Resolver:       chainResolver(off.svc, verifier.NewResolver(remote)),
		StatusFetch:    ownFirst(off.svc.FetchStatusList, remote),
		TrustedIssuers: trusted,
	})
	if err != nil {
		return nil, err
	}
	srv, err := httpapi.New(httpapi.Config{
		Verifier: v, Office: off.svc, Metrics: metrics, Ready: off.ready, Fetch: remote,
		Authorizer: httpapi.OfficeAuthorizer{Office: off.svc}, Logger: logger,
	})
	if err != nil {
		return nil, err
	}
	return srv.Handler(), nil
}

// ownFirst reads a status list from this office when it is one of its
// own, and from the network otherwise.
func ownFirst(own, remote verifier.Fetch) verifier.Fetch {
	return func(ctx context.Context, url string) ([]byte, error) {
		if doc, err := own(ctx, url); err == nil {
			return doc, nil
		}
		return remote(ctx, url)
	}
}

// chainResolver resolves this office's own keys first, then the others.
func chainResolver(svc *issuer.Service, others proof.Resolver) proof.Resolver {
	return proof.ResolverFunc(func(ctx context.Context, id string) (*keys.VerificationMethod, error) {
		if m, err := svc.Resolve(ctx, id); err == nil {
			return m, nil
		}
		return others.Resolve(ctx, id)
	})
}

// serveUntilDone serves until ctx ends, then stops accepting, lets
// requests in flight finish (up to 15 seconds) and returns.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	logger.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}

	logger.Info("shutting down: draining requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("draining requests: %w", err)
	}
	logger.Info("stopped")
	return nil
}
