package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/store"
)

// defaultDataDir is the embedded default: one bbolt file and the issuers'
// keys, in a folder beside where laurel runs.
const defaultDataDir = "laurel-data"

// officeOptions are the flags every command that opens the data folder
// shares.
type officeOptions struct {
	dataDir   string
	publicURL string
	issuerDID string
	// statusPurposes are the status list entries new credentials get.
	statusPurposes []string
	// issued counts stored credentials for the server's metrics; nil for
	// the one-shot commands.
	issued issuer.Counter
}

func (o *officeOptions) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.dataDir, "data", defaultDataDir, "data folder (bbolt file and keys)")
	f.StringVar(&o.publicURL, "public-url", "", "base URL written into credentials and links (default http://ADDR)")
	f.StringVar(&o.issuerDID, "issuer-did", "",
		"issue as this did:web DID instead of the key's did:key (first run only)")
	f.StringSliceVar(&o.statusPurposes, "status-purposes", nil,
		"status list entries new credentials get: revocation (default), or revocation,suspension "+
			"(two entries break the OB 3.0 JSON Schema, which allows one credentialStatus)")
}

// office is an opened data folder: its database and the service over it.
type office struct {
	db      *store.DB
	svc     *issuer.Service
	engine  *proof.Engine
	created bool
	issuer  *issuer.Issuer
}

func (o *office) Close() error { return o.db.Close() }

// ready reports whether the data file answers, for /readyz.
func (o *office) ready() error {
	return o.db.View(func(*store.Tx) error { return nil })
}

// openOffice opens the data folder, creating the database and the first
// issuer with its key on first run.
func (o *officeOptions) open(ctx context.Context, logger *slog.Logger) (*office, error) {
	db, err := store.Open(filepath.Join(o.dataDir, "laurel.db"), store.Options{})
	if errors.Is(err, store.ErrInUse) {
		return nil, fmt.Errorf("%s is in use by another laurel process (stop it first): %w", o.dataDir, err)
	}
	if err != nil {
		return nil, err
	}

	off, err := o.service(ctx, db, logger)
	if err != nil {
		db.Close()
		return nil, err
	}
	return off, nil
}

func (o *officeOptions) service(ctx context.Context, db *store.DB, logger *slog.Logger) (*office, error) {
	c, err := canon.New(canon.Config{})
	if err != nil {
		return nil, err
	}
	engine := proof.NewEngine(c)

	publicURL := o.publicURL
	if publicURL == "" {
		publicURL = "http://127.0.0.1:8080"
	}
	svc, err := issuer.NewService(issuer.Config{
		DB: db, Engine: engine, KeyDir: filepath.Join(o.dataDir, "keys"), PublicURL: publicURL, Logger: logger,
		Issued: o.issued, StatusPurposes: o.statusPurposes,
	})
	if err != nil {
		return nil, err
	}

	iss, created, err := svc.EnsureIssuer(ctx, o.issuerDID, issuer.Profile{Name: "Laurel Badge Office"})
	if err != nil {
		return nil, err
	}
	return &office{db: db, svc: svc, engine: engine, created: created, issuer: iss}, nil
}

// discardLogger is for commands whose output is their result.
func discardLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
