package issuer

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/laurel-badges/laurel/store"
)

// Lifetimes of the secrets people receive.
const (
	// InvitationLifetime is how long an invitation link stays usable: long
	// enough for a teacher who is away for a week, short enough that a
	// forwarded old email is useless.
	InvitationLifetime = 14 * 24 * time.Hour
	// SessionLifetime bounds a signed-in session, about one school day.
	SessionLifetime = 12 * time.Hour
)

// Password rules, after NIST SP 800-63B §3.1.1.2: a length floor, a
// ceiling that keeps hashing cheap to ask for, and nothing else.
const (
	minPassword = 10
	maxPassword = 128
)

// argon2id parameters: the second set RFC 9106 §4 and OWASP recommend for
// servers short of memory (19 MiB, two passes), about 25 ms per hash.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// Account is a person as the administrators' pages list them: the user
// and whether they have set a password yet.
type Account struct {
	User
	Active bool `json:"active"`
}

// Invitation is a one-time link's secret for one person.
type Invitation struct {
	User  *User
	Token string
}

type passwordRecord struct {
	Hash    string    `json:"hash"`
	Updated time.Time `json:"updated"`
}

type secretRecord struct {
	User    string    `json:"user"`
	Hash    string    `json:"hash"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Invite creates an account for a person, or finds the one their email
// already has (a teacher awarded a badge before they had an account), and
// returns a one-time invitation to set a password. A person who already
// signs in cannot be invited again; Reinvite resets their password.
func (s *Service) Invite(ctx context.Context, actor *User, name, email string, role Role) (*Invitation, error) {
	if err := s.require(actor, "user.invite", RoleAdmin); err != nil {
		return nil, err
	}
	u, err := newInvitee(name, email, role)
	if err != nil {
		return nil, err
	}

	token, rec := s.newSecret("lri_", InvitationLifetime)
	err = s.db.Update(func(tx *store.Tx) error {
		if err := s.putInvitee(tx, u); err != nil {
			return err
		}
		rec.User = u.ID
		if err := tx.Put(store.Invitations, tokenKey(rec.Hash), rec); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "user.invite", u.ID, string(u.Role))
	})
	if err != nil {
		return nil, fmt.Errorf("inviting %s: %w", u.Email, err)
	}
	s.log.InfoContext(ctx, "person invited", "user_id", u.ID, "role", u.Role, "actor", actor.ID)
	return &Invitation{User: u, Token: token}, nil
}

func newInvitee(name, email string, role Role) (*User, error) {
	if err := validRole(role); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return nil, fmt.Errorf("%w: a person needs a name of at most 200 characters", ErrInvalid)
	}
	addr, err := mail.ParseAddress(strings.TrimSpace(email))
	if err != nil || addr.Name != "" || len(addr.Address) > 254 {
		return nil, fmt.Errorf("%w: %q is not an email address", ErrInvalid, email)
	}
	return &User{ID: "usr_" + randomID(8), Name: name, Email: addr.Address, Role: role}, nil
}

// putInvitee stores u, or merges it into the user its email names. It
// leaves u holding the stored record.
func (s *Service) putInvitee(tx *store.Tx, u *User) error {
	if raw, err := tx.GetRaw(store.Index, emailKey(u.Email)); err == nil {
		var known User
		if err := tx.Get(store.Users, string(raw), &known); err != nil {
			return err
		}
		if tx.Has(store.Passwords, known.ID) {
			return fmt.Errorf("%w: %s already has an account", ErrConflict, u.Email)
		}
		known.Name, known.Role = u.Name, u.Role
		*u = known
		return tx.Put(store.Users, u.ID, u)
	}

	u.Created = s.now().UTC()
	if err := tx.Put(store.Users, u.ID, u); err != nil {
		return err
	}
	return tx.PutRaw(store.Index, emailKey(u.Email), []byte(u.ID))
}

// Reinvite gives an existing person a new invitation, for a lost link or
// a forgotten password. Their password, if any, stays valid until they
// use the invitation.
func (s *Service) Reinvite(ctx context.Context, actor *User, userID string) (*Invitation, error) {
	if err := s.require(actor, "user.reinvite", RoleAdmin); err != nil {
		return nil, err
	}

	var u User
	token, rec := s.newSecret("lri_", InvitationLifetime)
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Get(store.Users, userID, &u); err != nil {
			return notFound(err)
		}
		if u.Email == "" || u.Role == RoleClient {
			return fmt.Errorf("%w: %s has no email to sign in with", ErrConflict, userID)
		}
		rec.User = u.ID
		if err := tx.Put(store.Invitations, tokenKey(rec.Hash), rec); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "user.reinvite", u.ID, "")
	})
	if err != nil {
		return nil, fmt.Errorf("inviting %s: %w", userID, err)
	}
	s.log.InfoContext(ctx, "person invited again", "user_id", u.ID, "actor", actor.ID)
	return &Invitation{User: &u, Token: token}, nil
}

// newSecret returns a new random secret with the given prefix and the
// record that keeps its digest.
func (s *Service) newSecret(prefix string, lifetime time.Duration) (string, secretRecord) {
	token := prefix + randomID(24)
	now := s.now().UTC()
	return token, secretRecord{Hash: tokenHash(token), Created: now, Expires: now.Add(lifetime)}
}

// lookupSecret finds the live record of token in bucket b.
func (s *Service) lookupSecret(tx *store.Tx, b store.Bucket, prefix, token string) (*secretRecord, error) {
	if !strings.HasPrefix(token, prefix) || len(token) > 128 {
		return nil, ErrUnauthorized
	}
	h := tokenHash(token)
	var rec secretRecord
	if err := tx.Get(b, tokenKey(h), &rec); err != nil {
		return nil, ErrUnauthorized
	}
	if subtle.ConstantTimeCompare([]byte(rec.Hash), []byte(h)) != 1 || !s.now().Before(rec.Expires) {
		return nil, ErrUnauthorized
	}
	return &rec, nil
}

// InvitedUser returns the person an invitation is for, so the page that
// sets a password can greet them by name.
func (s *Service) InvitedUser(token string) (*User, error) {
	var u User
	err := s.db.View(func(tx *store.Tx) error {
		rec, err := s.lookupSecret(tx, store.Invitations, "lri_", token)
		if err != nil {
			return err
		}
		return tx.Get(store.Users, rec.User, &u)
	})
	if err != nil {
		return nil, fmt.Errorf("%w: this invitation is unknown, used or expired", ErrUnauthorized)
	}
	return &u, nil
}

// AcceptInvitation sets the invited person's password and uses up the
// invitation.
func (s *Service) AcceptInvitation(ctx context.Context, token, password string) (*User, error) {
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	hash := hashPassword(password)

	var u User
	err := s.db.Update(func(tx *store.Tx) error {
		rec, err := s.lookupSecret(tx, store.Invitations, "lri_", token)
		if err != nil {
			return fmt.Errorf("%w: this invitation is unknown, used or expired", ErrUnauthorized)
		}
		if err := tx.Get(store.Users, rec.User, &u); err != nil {
			return err
		}
		if err := tx.Delete(store.Invitations, tokenKey(rec.Hash)); err != nil {
			return err
		}
		pw := passwordRecord{Hash: hash, Updated: s.now().UTC()}
		if err := tx.Put(store.Passwords, u.ID, pw); err != nil {
			return err
		}
		return s.audit(tx, u.ID, "user.password", u.ID, "")
	})
	if err != nil {
		return nil, fmt.Errorf("accepting invitation: %w", err)
	}
	s.log.InfoContext(ctx, "password set", "user_id", u.ID)
	return &u, nil
}

func checkPassword(pw string) error {
	n := len([]rune(pw))
	if n < minPassword || len(pw) > maxPassword {
		return fmt.Errorf("%w: a password needs %d to %d characters", ErrInvalid, minPassword, maxPassword)
	}
	return nil
}

// hashPassword returns pw's argon2id hash in the PHC string format, which
// names its parameters so they can be raised later without a migration.
func hashPassword(pw string) string {
	salt := randomBytes(16)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// passwordMatches reports whether pw hashes to the PHC string phc.
func passwordMatches(phc, pw string) bool {
	var version int
	var memory, passes uint32
	var threads uint8
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || memory > 256*1024 || passes > 10 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// decoyHash is hashed against when no account matches, so a failed sign-in
// takes as long whether or not the email is known.
var decoyHash = sync.OnceValue(func() string { return hashPassword("decoy, never matched") })

// SignIn checks a person's email and password. Every failure is the same
// ErrUnauthorized, so the answer does not tell which emails have accounts,
// and every failure is audited.
func (s *Service) SignIn(ctx context.Context, email, password string) (*User, error) {
	email = strings.TrimSpace(email)
	var u User
	var pw passwordRecord
	err := s.db.View(func(tx *store.Tx) error {
		raw, err := tx.GetRaw(store.Index, emailKey(email))
		if err != nil {
			return err
		}
		if err := tx.Get(store.Users, string(raw), &u); err != nil {
			return err
		}
		return tx.Get(store.Passwords, u.ID, &pw)
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("signing in: %w", err)
	}

	if err != nil || len(password) > maxPassword {
		passwordMatches(decoyHash(), password)
		return nil, s.signInFailed(ctx, email, "")
	}
	if !passwordMatches(pw.Hash, password) {
		return nil, s.signInFailed(ctx, email, u.ID)
	}
	return &u, nil
}

func (s *Service) signInFailed(ctx context.Context, email, userID string) error {
	target := userID
	if target == "" {
		target = "email:" + lower(email)
	}
	s.AuditDenied(target, "signin", target)
	s.log.WarnContext(ctx, "sign-in refused", "user_id", userID)
	return fmt.Errorf("%w: the email or password is wrong", ErrUnauthorized)
}

// Session is a signed-in browser, as its record keeps it.
type Session struct {
	User    *User
	Expires time.Time
	// CSRF is the session's anti-forgery secret, which its forms carry.
	CSRF string
}

type sessionRecord struct {
	secretRecord
	CSRF string `json:"csrf"`
}

// StartSession signs u in and returns the session's secret, for a cookie.
// Expired sessions are dropped on the way, so the bucket stays small.
func (s *Service) StartSession(ctx context.Context, u *User) (string, *Session, error) {
	token, rec := s.newSecret("lrw_", SessionLifetime)
	rec.User = u.ID
	sess := sessionRecord{secretRecord: rec, CSRF: randomID(24)}

	err := s.db.Update(func(tx *store.Tx) error {
		if err := s.dropExpiredSessions(tx); err != nil {
			return err
		}
		if err := tx.Put(store.Sessions, tokenKey(rec.Hash), sess); err != nil {
			return err
		}
		return s.audit(tx, u.ID, "user.signin", u.ID, "")
	})
	if err != nil {
		return "", nil, fmt.Errorf("starting session: %w", err)
	}
	s.log.InfoContext(ctx, "signed in", "user_id", u.ID)
	return token, &Session{User: u, Expires: rec.Expires, CSRF: sess.CSRF}, nil
}

func (s *Service) dropExpiredSessions(tx *store.Tx) error {
	var expired []string
	now := s.now()
	err := tx.Scan(store.Sessions, "", func(key string, raw []byte) (bool, error) {
		var rec sessionRecord
		if decode(raw, &rec) != nil || !now.Before(rec.Expires) {
			expired = append(expired, key)
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, key := range expired {
		if err := tx.Delete(store.Sessions, key); err != nil {
			return err
		}
	}
	return nil
}

// SessionFor returns the live session a cookie's secret names.
func (s *Service) SessionFor(token string) (*Session, error) {
	var u User
	var rec *secretRecord
	var csrf string
	err := s.db.View(func(tx *store.Tx) error {
		var err error
		if rec, err = s.lookupSecret(tx, store.Sessions, "lrw_", token); err != nil {
			return err
		}
		var full sessionRecord
		if err := tx.Get(store.Sessions, tokenKey(rec.Hash), &full); err != nil {
			return err
		}
		csrf = full.CSRF
		return tx.Get(store.Users, rec.User, &u)
	})
	if err != nil {
		return nil, ErrUnauthorized
	}
	return &Session{User: &u, Expires: rec.Expires, CSRF: csrf}, nil
}

// EndSession signs a browser out. An unknown session is already ended.
func (s *Service) EndSession(ctx context.Context, token string) error {
	err := s.db.Update(func(tx *store.Tx) error {
		rec, err := s.lookupSecret(tx, store.Sessions, "lrw_", token)
		if err != nil {
			return nil
		}
		if err := tx.Delete(store.Sessions, tokenKey(rec.Hash)); err != nil {
			return err
		}
		return s.audit(tx, rec.User, "user.signout", rec.User, "")
	})
	if err != nil {
		return fmt.Errorf("ending session: %w", err)
	}
	return nil
}

// Accounts lists every person, newest first, with whether they can sign
// in. OAuth clients are not people and are left out.
func (s *Service) Accounts(actor *User) ([]Account, error) {
	if err := s.require(actor, "user.list", RoleAdmin); err != nil {
		return nil, err
	}
	var out []Account
	err := s.db.View(func(tx *store.Tx) error {
		return tx.Scan(store.Users, "", func(_ string, raw []byte) (bool, error) {
			var u User
			if err := decode(raw, &u); err != nil {
				return false, err
			}
			if u.Role != RoleClient {
				out = append(out, Account{User: u, Active: tx.Has(store.Passwords, u.ID)})
			}
			return true, nil
		})
	})
	slices.SortFunc(out, func(a, b Account) int { return b.Created.Compare(a.Created) })
	return out, err
}

// SetRole changes a person's role. An administrator cannot demote
// themselves, so a district always keeps one.
func (s *Service) SetRole(ctx context.Context, actor *User, userID string, role Role) (*User, error) {
	if err := s.require(actor, "user.role", RoleAdmin); err != nil {
		return nil, err
	}
	if err := validRole(role); err != nil {
		return nil, err
	}
	if userID == actor.ID && role != RoleAdmin {
		return nil, fmt.Errorf("%w: administrators cannot change their own role", ErrConflict)
	}

	var u User
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Get(store.Users, userID, &u); err != nil {
			return notFound(err)
		}
		u.Role = role
		if err := tx.Put(store.Users, u.ID, u); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "user.role", u.ID, string(role))
	})
	if err != nil {
		return nil, fmt.Errorf("changing role of %s: %w", userID, err)
	}
	s.log.InfoContext(ctx, "role changed", "user_id", u.ID, "role", role, "actor", actor.ID)
	return &u, nil
}

// UserByEmail returns the person an email belongs to.
func (s *Service) UserByEmail(email string) (*User, error) {
	id, ok := s.indexed(emailKey(email))
	if !ok {
		return nil, fmt.Errorf("%w: nobody has the email %s", ErrNotFound, strings.TrimSpace(email))
	}
	return s.User(id)
}
