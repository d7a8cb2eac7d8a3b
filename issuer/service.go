package issuer

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/status"
	"github.com/laurel-badges/laurel/store"
)

// Outcomes of the badge office, checked with errors.Is. The HTTP layer
// maps each to one status code.
var (
	// ErrNotFound reports an unknown achievement, submission, user or
	// credential.
	ErrNotFound = errors.New("not found")
	// ErrInvalid reports input that breaks a rule; the message says which.
	ErrInvalid = errors.New("invalid input")
	// ErrUnauthorized reports a missing or unknown token.
	ErrUnauthorized = errors.New("unknown or missing token")
	// ErrForbidden reports an actor whose role does not allow the action.
	ErrForbidden = errors.New("not allowed for this role")
	// ErrConflict reports an action the record's state does not allow,
	// e.g. approving a returned submission.
	ErrConflict = errors.New("not allowed in the current state")
)

// Config configures a Service.
type Config struct {
	// DB is the open data file; required.
	DB *store.DB
	// Engine signs Data Integrity proofs; required.
	Engine *proof.Engine
	// KeyDir holds the issuers' private keys (files, mode 0600); required.
	KeyDir string
	// PublicURL is the base of every link Laurel writes into credentials,
	// e.g. https://badges.district.example; required.
	PublicURL string
	// Logger receives operational events; nil discards them.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Issued counts credentials as they are stored, for the operator's
	// metrics. Nil counts nothing.
	Issued Counter
	// StatusPurposes lists the purposes ("revocation", "suspension") every
	// credential of the office gets a BitstringStatusListEntry for. Nil
	// means revocation only: OB 3.0 §B.1.1 gives an AchievementCredential
	// at most one credentialStatus, and the pinned JSON Schema refuses an
	// array, so a credential with both entries fails schema validation.
	StatusPurposes []string
}

// Counter is the one method of a metrics counter the service needs.
type Counter interface{ Inc() }

// Service is the badge office: issuers, people, achievements, review and
// issuance, over one data file. It is safe for concurrent use.
type Service struct {
	db        *store.DB
	engine    *proof.Engine
	keyDir    string
	publicURL string
	log       *slog.Logger
	now       func() time.Time
	issued    Counter
	purposes  []string

	mu      sync.Mutex
	signers map[string]*Signer
	pubs    map[string]crypto.PublicKey

	lists listCache
}

// NewService returns a Service for cfg.
func NewService(cfg Config) (*Service, error) {
	if cfg.DB == nil || cfg.Engine == nil || cfg.KeyDir == "" || cfg.PublicURL == "" {
		return nil, errors.New("issuer: service needs a DB, an engine, a key folder and a public URL")
	}

	s := &Service{
		db:        cfg.DB,
		engine:    cfg.Engine,
		keyDir:    cfg.KeyDir,
		publicURL: strings.TrimRight(cfg.PublicURL, "/"),
		log:       cfg.Logger,
		now:       cfg.Now,
		issued:    cfg.Issued,
		purposes:  cfg.StatusPurposes,
		signers:   map[string]*Signer{},
		pubs:      map[string]crypto.PublicKey{},
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := checkPurposes(s.purposes); err != nil {
		return nil, err
	}
	if len(s.purposes) == 0 {
		s.purposes = []string{status.PurposeRevocation}
	}
	return s, nil
}

// PublicURL returns the base URL links are written under.
func (s *Service) PublicURL() string { return s.publicURL }

// DefaultIssuerID is the id of the issuer the first run creates.
const DefaultIssuerID = "default"

// EnsureIssuer creates the default issuer with a new Ed25519 key on first
// run and returns it; later runs return the stored one. did is the DID to
// issue as: empty means the key's did:key; a did:web DID is used as given,
// with the key as one of its methods.
func (s *Service) EnsureIssuer(ctx context.Context, did string, profile Profile) (*Issuer, bool, error) {
	if iss, err := s.Issuer(DefaultIssuerID); err == nil {
		return iss, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return nil, false, err
	}
	iss, err := s.createIssuer(ctx, "system", DefaultIssuerID, did, profile)
	return iss, err == nil, err
}

// CreateIssuer adds another issuer to the office: a regional agency may
// run one Laurel for several districts.
func (s *Service) CreateIssuer(ctx context.Context, actor *User, id, did string, profile Profile) (*Issuer, error) {
	if err := s.require(actor, "issuer.create", RoleAdmin); err != nil {
		return nil, err
	}
	if !validSlug(id) {
		return nil, fmt.Errorf("%w: an issuer id is 1 to 40 lowercase letters, digits and dashes", ErrInvalid)
	}
	if did != "" && !strings.HasPrefix(did, "did:web:") {
		return nil, fmt.Errorf("%w: an issuer's DID is a did:web DID, or empty for a did:key", ErrInvalid)
	}
	if err := profile.validate(); err != nil {
		return nil, err
	}
	return s.createIssuer(ctx, actor.ID, id, did, profile)
}

func validSlug(id string) bool {
	if id == "" || len(id) > 40 {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

func (s *Service) createIssuer(ctx context.Context, actorID, id, did string, profile Profile) (*Issuer, error) {
	key, ref, err := s.newKey(id, did)
	if err != nil {
		return nil, err
	}
	if did == "" {
		did, _ = key.DIDKey()
	}

	iss := &Issuer{ID: id, DID: did, Profile: profile, Keys: []KeyRef{ref}, Created: s.now().UTC()}
	err = s.db.Update(func(tx *store.Tx) error {
		if tx.Has(store.Issuers, iss.ID) {
			return fmt.Errorf("issuer %s exists: %w", iss.ID, ErrConflict)
		}
		if err := tx.Put(store.Issuers, iss.ID, iss); err != nil {
			return err
		}
		return s.audit(tx, actorID, "issuer.create", iss.ID, did)
	})
	if err != nil {
		return nil, fmt.Errorf("storing issuer: %w", err)
	}
	s.log.InfoContext(ctx, "issuer created", "issuer_id", iss.ID, "did", did,
		"verification_method", ref.VerificationMethod)
	return iss, nil
}

// newKey generates and saves an Ed25519 key for an issuer.
func (s *Service) newKey(issuerID, did string) (*keys.Key, KeyRef, error) {
	key, err := keys.Generate(keys.Ed25519)
	if err != nil {
		return nil, KeyRef{}, err
	}

	vm, err := key.VerificationMethodID()
	if err != nil {
		return nil, KeyRef{}, err
	}
	if did != "" {
		vm = did + "#key-" + randomID(4)
	}

	file := filepath.Join(s.keyDir, issuerID+"-"+randomID(6)+".pem")
	if err := key.Save(file); err != nil {
		return nil, KeyRef{}, fmt.Errorf("saving issuer key: %w", err)
	}
	return key, KeyRef{VerificationMethod: vm, Type: keys.Ed25519, File: file, Created: s.now().UTC()}, nil
}

// Issuer returns an issuer by id.
func (s *Service) Issuer(id string) (*Issuer, error) {
	var iss Issuer
	err := s.db.View(func(tx *store.Tx) error { return tx.Get(store.Issuers, id, &iss) })
	if err != nil {
		return nil, notFound(err)
	}
	return &iss, nil
}

// signer returns the Signer for an issuer's active Data Integrity key,
// loading the key file once.
func (s *Service) signer(iss *Issuer) (*Signer, error) {
	active := activeKey(iss)
	if active == nil {
		return nil, fmt.Errorf("issuer %s has no active key: %w", iss.ID, ErrConflict)
	}
	return s.signerFor(active)
}

// jwtSigner returns the Signer for VC-JWTs: the issuer's RSA key when it
// has one (did:web issuers), else its Data Integrity key (EdDSA).
func (s *Service) jwtSigner(iss *Issuer) (*Signer, error) {
	if ref := activeKey(iss, true); ref != nil {
		return s.signerFor(ref)
	}
	return s.signer(iss)
}

func (s *Service) signerFor(ref *KeyRef) (*Signer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sg, ok := s.signers[ref.VerificationMethod]; ok {
		return sg, nil
	}

	key, err := keys.Load(ref.File)
	if err != nil {
		return nil, fmt.Errorf("loading key %s: %w", ref.VerificationMethod, err)
	}
	sg, err := NewSigner(SignerConfig{Engine: s.engine, Key: key, VerificationMethod: ref.VerificationMethod})
	if err != nil {
		return nil, err
	}
	s.signers[ref.VerificationMethod] = sg
	return sg, nil
}

// activeKey is the newest unretired key for Data Integrity proofs, or
// with jwt the newest unretired VC-JWT key.
func activeKey(iss *Issuer, jwt ...bool) *KeyRef {
	wantJWT := len(jwt) > 0 && jwt[0]
	for i := len(iss.Keys) - 1; i >= 0; i-- {
		if iss.Keys[i].Retired == nil && iss.Keys[i].JWT == wantJWT {
			return &iss.Keys[i]
		}
	}
	return nil
}

// AddUser creates a person and returns them with a new API token. Only
// the token's SHA-256 is stored; the token itself is shown once.
func (s *Service) AddUser(ctx context.Context, name, email string, role Role) (*User, string, error) {
	if err := validRole(role); err != nil {
		return nil, "", err
	}
	if strings.TrimSpace(name) == "" {
		return nil, "", fmt.Errorf("%w: a user needs a name", ErrInvalid)
	}

	u := &User{ID: "usr_" + randomID(8), Name: strings.TrimSpace(name), Email: strings.TrimSpace(email),
		Role: role, Created: s.now().UTC()}
	token := "lrl_" + randomID(24)
	err := s.db.Update(func(tx *store.Tx) error {
		if err := s.putUser(tx, u); err != nil {
			return err
		}
		h := tokenHash(token)
		if err := tx.Put(store.Tokens, tokenKey(h), tokenRecord{User: u.ID, Hash: h}); err != nil {
			return err
		}
		return s.audit(tx, "system", "user.create", u.ID, string(role))
	})
	if err != nil {
		return nil, "", fmt.Errorf("storing user: %w", err)
	}
	s.log.InfoContext(ctx, "user created", "user_id", u.ID, "role", role)
	return u, token, nil
}

// putUser stores a new person, indexed by email so they can sign in and be
// found by awards. An email belongs to one person only.
func (s *Service) putUser(tx *store.Tx, u *User) error {
	if u.Email != "" {
		if tx.Has(store.Index, emailKey(u.Email)) {
			return fmt.Errorf("%w: %s already belongs to someone", ErrConflict, u.Email)
		}
		if err := tx.PutRaw(store.Index, emailKey(u.Email), []byte(u.ID)); err != nil {
			return err
		}
	}
	return tx.Put(store.Users, u.ID, u)
}

func validRole(r Role) error {
	switch r {
	case RoleAdmin, RoleReviewer, RoleEarner:
		return nil
	}
	return fmt.Errorf("%w: role must be admin, reviewer or earner", ErrInvalid)
}

// tokenRecord is what the Tokens bucket keeps for a token: the user it
// belongs to and the token's full SHA-256. The bucket key is only the
// hash's first bytes, so a lookup cannot be timed to learn a whole hash,
// and the full hash is compared in constant time.
type tokenRecord struct {
	User string `json:"user"`
	Hash string `json:"hash"`
}

func tokenKey(hash string) string { return hash[:16] }

// Authenticate returns the user a bearer token belongs to: a person's API
// token, or an OAuth access token, which stands for its client.
func (s *Service) Authenticate(token string) (*User, error) {
	if !strings.HasPrefix(token, "lrl_") || len(token) > 128 {
		return nil, ErrUnauthorized
	}

	h := tokenHash(token)
	var u User
	err := s.db.View(func(tx *store.Tx) error {
		var rec accessToken
		if err := tx.Get(store.Tokens, tokenKey(h), &rec); err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(rec.Hash), []byte(h)) != 1 {
			return ErrUnauthorized
		}
		if rec.Client != "" {
			return s.clientUser(tx, rec, &u)
		}
		return tx.Get(store.Users, rec.User, &u)
	})
	if err != nil {
		return nil, ErrUnauthorized
	}
	return &u, nil
}

func (s *Service) clientUser(tx *store.Tx, rec accessToken, u *User) error {
	if s.now().After(rec.Expires) {
		return ErrUnauthorized
	}
	var c Client
	if err := tx.Get(store.Clients, rec.Client, &c); err != nil {
		return err
	}
	*u = User{ID: rec.User, Name: c.Name, Role: RoleClient, Created: c.Created}
	return nil
}

// User returns a user by id.
func (s *Service) User(id string) (*User, error) {
	var u User
	if err := s.db.View(func(tx *store.Tx) error { return tx.Get(store.Users, id, &u) }); err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// audit appends one record to the audit log inside tx.
func (s *Service) audit(tx *store.Tx, actor, action, target, detail string) error {
	rec := AuditRecord{At: s.now().UTC(), Actor: actor, Action: action, Target: target, Detail: detail}
	_, err := tx.AppendAudit(rec)
	return err
}

// AuditDenied records a refused attempt, apart from any other change.
func (s *Service) AuditDenied(actor, action, target string) {
	err := s.db.Update(func(tx *store.Tx) error { return s.audit(tx, actor, "denied."+action, target, "") })
	if err != nil {
		s.log.Error("writing audit record failed", "action", action, "err", err)
	}
}

// Audits returns up to limit audit records from sequence number from on.
func (s *Service) Audits(from uint64, limit int) ([]AuditRecord, error) {
	var out []AuditRecord
	err := s.db.View(func(tx *store.Tx) error {
		return tx.Audits(from, func(_ uint64, raw []byte) bool {
			var rec AuditRecord
			if json.Unmarshal(raw, &rec) == nil {
				out = append(out, rec)
			}
			return len(out) < limit
		})
	})
	return out, err
}

func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

// randomID returns n random bytes, base64url encoded: ids that reveal
// nothing about order or count.
func randomID(n int) string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(n))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return b
}
