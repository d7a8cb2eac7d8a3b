// Package issuer secures credentials as a district's issuer: it decides
// which key signs, in which format, and that the credential names the
// issuer the key belongs to. The badge office service (achievements,
// review, storage) is built on top of it.
package issuer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/laurel-badges/laurel/internal/vcdm"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/vcjwt"
)

// Format is how a credential is secured.
type Format string

// Formats Laurel issues (OB 3.0 §8.2 and §8.3).
const (
	// DataIntegrity embeds a Data Integrity proof in the JSON-LD credential.
	DataIntegrity Format = "di"
	// JWT wraps the credential in a compact JWS (VC-JWT).
	JWT Format = "jwt"
)

// ErrIssuerMismatch reports a credential whose issuer is a DID other than
// the one controlling the signing key: every conformant verifier would
// reject it, so it is refused before signing.
var ErrIssuerMismatch = errors.New("credential issuer does not control the signing key")

// ErrFormat reports an unknown Format.
var ErrFormat = errors.New("unknown credential format")

// Signer signs credentials with one key as one issuer. It is safe for
// concurrent use.
type Signer struct {
	engine *proof.Engine
	key    *keys.Key
	method string
	issuer string
}

// SignerConfig configures a Signer.
type SignerConfig struct {
	// Engine creates Data Integrity proofs; required.
	Engine *proof.Engine
	// Key signs; required.
	Key *keys.Key
	// VerificationMethod is the DID URL of Key. Empty means the key's
	// did:key verification method (Ed25519 and P-256 keys only).
	VerificationMethod string
}

// NewSigner returns a Signer for cfg. The issuer it signs as is the
// controller of the verification method (the DID URL before '#').
func NewSigner(cfg SignerConfig) (*Signer, error) {
	if cfg.Engine == nil || cfg.Key == nil {
		return nil, errors.New("issuer: signer needs an engine and a key")
	}

	method := cfg.VerificationMethod
	if method == "" {
		var err error
		if method, err = cfg.Key.VerificationMethodID(); err != nil {
			return nil, fmt.Errorf("deriving verification method: %w", err)
		}
	}
	controller, _, _ := strings.Cut(method, "#")

	return &Signer{engine: cfg.Engine, key: cfg.Key, method: method, issuer: controller}, nil
}

// Issuer returns the identifier credentials are issued under.
func (s *Signer) Issuer() string { return s.issuer }

// VerificationMethod returns the DID URL proofs name.
func (s *Signer) VerificationMethod() string { return s.method }

// SignOptions adjust one signature.
type SignOptions struct {
	// Format selects the proof format; empty means DataIntegrity.
	Format Format
	// Suite is the Data Integrity cryptosuite; empty picks the key's.
	Suite string
	// Created is the proof time; zero means now.
	Created time.Time
}

// Sign secures cred and returns the result: the signed credential as JSON
// for DataIntegrity, the compact JWS for JWT. A credential without an issuer
// is issued as the signer's issuer; cred itself is not modified.
func (s *Signer) Sign(cred map[string]any, opts SignOptions) ([]byte, error) {
	doc, err := s.withIssuer(cred)
	if err != nil {
		return nil, err
	}

	switch opts.Format {
	case DataIntegrity, "":
		signed, err := s.engine.Sign(doc, s.key, proof.Options{
			Suite: opts.Suite, VerificationMethod: s.method, Created: opts.Created,
		})
		if err != nil {
			return nil, fmt.Errorf("adding proof: %w", err)
		}
		return json.Marshal(signed)
	case JWT:
		token, err := vcjwt.Sign(doc, s.key, s.method)
		if err != nil {
			return nil, fmt.Errorf("signing JWT: %w", err)
		}
		return []byte(token), nil
	}
	return nil, fmt.Errorf("%w: %q", ErrFormat, opts.Format)
}

// withIssuer returns a copy of cred naming this signer's issuer, or an
// error when it names a different DID.
func (s *Signer) withIssuer(cred map[string]any) (map[string]any, error) {
	doc := make(map[string]any, len(cred)+1)
	for k, v := range cred {
		doc[k] = v
	}

	if cred["issuer"] == nil {
		doc["issuer"] = s.issuer
		return doc, nil
	}

	id := vcdm.IssuerID(cred)
	if strings.HasPrefix(id, "did:") && id != s.issuer {
		return nil, fmt.Errorf("%w: issuer is %s, key belongs to %s", ErrIssuerMismatch, id, s.issuer)
	}
	return doc, nil
}
