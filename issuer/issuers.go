package issuer

import (
	"context"
	"crypto"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/store"
)

// RotateKey gives an issuer a new signing key. The old keys are marked
// retired: they sign nothing more but stay in the issuer's DID document, so
// credentials they signed still verify. A did:key issuer cannot rotate (its
// identifier is its key).
func (s *Service) RotateKey(ctx context.Context, actor *User, issuerID string) (*Issuer, error) {
	if err := s.require(actor, "issuer.rotate_key", RoleAdmin); err != nil {
		return nil, err
	}
	iss, err := s.Issuer(issuerID)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(iss.DID, "did:web:") {
		return nil, fmt.Errorf("%w: a did:key issuer cannot rotate its key; run with a did:web issuer", ErrConflict)
	}

	_, ref, err := s.newKey(iss.ID, iss.DID)
	if err != nil {
		return nil, err
	}
	err = s.db.Update(func(tx *store.Tx) error {
		if err := tx.Get(store.Issuers, iss.ID, iss); err != nil {
			return err
		}
		now := s.now().UTC()
		for i := range iss.Keys {
			if iss.Keys[i].Retired == nil && !iss.Keys[i].JWT {
				iss.Keys[i].Retired = &now
			}
		}
		iss.Keys = append(iss.Keys, ref)
		if err := tx.Put(store.Issuers, iss.ID, iss); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "issuer.rotate_key", iss.ID, ref.VerificationMethod)
	})
	if err != nil {
		return nil, fmt.Errorf("storing rotated key: %w", err)
	}
	s.log.InfoContext(ctx, "issuer key rotated", "issuer_id", iss.ID, "verification_method", ref.VerificationMethod)
	return iss, nil
}

// methods returns the verification methods of every key an issuer has
// had, retired ones included. Each is in every verification relationship
// Laurel records, as the documents Laurel publishes list it
// (keys.DIDWebDocument, didKeyDocument): a retired key stays under
// assertionMethod so that the credentials it signed keep verifying.
func (s *Service) methods(iss *Issuer) ([]keys.VerificationMethod, error) {
	out := make([]keys.VerificationMethod, 0, len(iss.Keys))
	for _, ref := range iss.Keys {
		pub, err := s.publicKey(ref.File)
		if err != nil {
			return nil, fmt.Errorf("loading key of issuer %s: %w", iss.ID, err)
		}
		typ := keys.TypeMultikey
		if ref.JWT {
			typ = keys.TypeJSONWebKey
		}
		out = append(out, keys.VerificationMethod{
			ID: ref.VerificationMethod, Type: typ, Controller: iss.DID, PublicKey: pub,
			Relationships: keys.AllRelationships(),
		})
	}
	return out, nil
}

// publicKey reads a key file's public half once and remembers it.
func (s *Service) publicKey(file string) (crypto.PublicKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pub, ok := s.pubs[file]; ok {
		return pub, nil
	}
	key, err := keys.Load(file)
	if err != nil {
		return nil, err
	}
	s.pubs[file] = key.Public()
	return key.Public(), nil
}

// DIDDocument returns the DID document an issuer publishes for did:web
// (did:web method §3.2): every key, as Multikey and, under the same id with
// "-jwk" appended, as JsonWebKey for clients that only read JWKs.
func (s *Service) DIDDocument(issuerID string) (map[string]any, error) {
	iss, err := s.Issuer(issuerID)
	if err != nil {
		return nil, err
	}
	methods, err := s.methods(iss)
	if err != nil {
		return nil, err
	}

	both := make([]keys.VerificationMethod, 0, 2*len(methods))
	for i, m := range methods {
		if iss.Keys[i].JWT {
			m.Type = keys.TypeJSONWebKey
			both = append(both, m)
			continue
		}
		jwk := m
		jwk.ID, jwk.Type = m.ID+"-jwk", keys.TypeJSONWebKey
		both = append(both, m, jwk)
	}
	return keys.DIDWebDocument(iss.DID, both)
}

// Resolve finds a verification method of one of this office's own
// issuers, so Laurel verifies what it issued without fetching its own DID
// document over the network.
func (s *Service) Resolve(_ context.Context, id string) (*keys.VerificationMethod, error) {
	did, _, _ := strings.Cut(id, "#")
	var found *keys.VerificationMethod
	err := s.db.View(func(tx *store.Tx) error {
		return tx.Scan(store.Issuers, "", func(_ string, raw []byte) (bool, error) {
			var iss Issuer
			if err := decode(raw, &iss); err != nil || iss.DID != did {
				return err == nil, err
			}
			methods, err := s.methods(&iss)
			for i := range methods {
				if methods[i].ID == id {
					found = &methods[i]
				}
			}
			return false, err
		})
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, fmt.Errorf("%s is not a key of this office: %w", id, ErrNotFound)
	}
	return found, nil
}

// UpdateProfile replaces an issuer's public profile. Credentials issued
// before keep the profile they were signed with.
func (s *Service) UpdateProfile(ctx context.Context, actor *User, issuerID string, p Profile) (*Issuer, error) {
	if err := s.require(actor, "issuer.profile", RoleAdmin); err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}

	var iss Issuer
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Get(store.Issuers, issuerID, &iss); err != nil {
			return notFound(err)
		}
		iss.Profile = p
		if err := tx.Put(store.Issuers, issuerID, &iss); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "issuer.profile", issuerID, p.Name)
	})
	if err != nil {
		return nil, err
	}
	s.log.InfoContext(ctx, "issuer profile updated", "issuer_id", issuerID, "actor", actor.ID)
	return &iss, nil
}

func (p Profile) validate() error {
	switch {
	case blank(p.Name) || len(p.Name) > 200:
		return fmt.Errorf("%w: the issuer needs a name (at most 200 characters)", ErrInvalid)
	case p.URL != "" && !httpURL(p.URL):
		return fmt.Errorf("%w: the issuer url must be an http(s) URL", ErrInvalid)
	case p.Image != "" && !httpURL(p.Image):
		return fmt.Errorf("%w: the issuer image must be an http(s) URL", ErrInvalid)
	case p.Email != "" && (!strings.Contains(p.Email, "@") || len(p.Email) > 254):
		return fmt.Errorf("%w: the issuer email is not an email address", ErrInvalid)
	}
	return nil
}

// Signer returns the Signer of an issuer's active key, for signing
// credentials the office did not build itself (the W3C VC API).
func (s *Service) Signer(issuerID string) (*Signer, error) {
	iss, err := s.Issuer(issuerID)
	if err != nil {
		return nil, err
	}
	return s.signer(iss)
}

// EnableJWT makes an issuer sign a VC-JWT beside every Data Integrity
// credential. A did:web issuer gets an RSA key for RS256, the algorithm OB
// 3.0 §8.2 requires every implementation to support, published in its DID
// document; a did:key issuer can publish no other key, so its JWTs are
// EdDSA with its own key.
func (s *Service) EnableJWT(ctx context.Context, actor *User, issuerID string) (*Issuer, error) {
	if err := s.require(actor, "issuer.jwt", RoleAdmin); err != nil {
		return nil, err
	}
	iss, err := s.Issuer(issuerID)
	if err != nil {
		return nil, err
	}

	var ref *KeyRef
	if strings.HasPrefix(iss.DID, "did:web:") && activeKey(iss, true) == nil {
		r, err := s.newRSAKey(iss)
		if err != nil {
			return nil, err
		}
		ref = &r
	}

	err = s.db.Update(func(tx *store.Tx) error {
		if err := tx.Get(store.Issuers, iss.ID, iss); err != nil {
			return err
		}
		iss.JWT = true
		if ref != nil {
			iss.Keys = append(iss.Keys, *ref)
		}
		if err := tx.Put(store.Issuers, iss.ID, iss); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "issuer.jwt", iss.ID, "enabled")
	})
	if err != nil {
		return nil, fmt.Errorf("enabling VC-JWT: %w", err)
	}
	s.log.InfoContext(ctx, "VC-JWT enabled", "issuer_id", iss.ID, "actor", actor.ID)
	return iss, nil
}

func (s *Service) newRSAKey(iss *Issuer) (KeyRef, error) {
	key, err := keys.Generate(keys.RSA)
	if err != nil {
		return KeyRef{}, err
	}
	file := filepath.Join(s.keyDir, iss.ID+"-rsa-"+randomID(6)+".pem")
	if err := key.Save(file); err != nil {
		return KeyRef{}, fmt.Errorf("saving issuer key: %w", err)
	}
	return KeyRef{VerificationMethod: iss.DID + "#rsa-" + randomID(4), Type: keys.RSA, File: file,
		Created: s.now().UTC(), JWT: true}, nil
}

// SetDID records a teacher's own DID; credentials issued to them from then
// on name it as their subject.
func (s *Service) SetDID(ctx context.Context, actor *User, did string) (*User, error) {
	if !strings.HasPrefix(did, "did:") || len(did) > 2048 || strings.ContainsAny(did, " \t\n#?") {
		return nil, fmt.Errorf("%w: a DID looks like did:method:identifier", ErrInvalid)
	}
	var u User
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Get(store.Users, actor.ID, &u); err != nil {
			return notFound(err)
		}
		u.DID = did
		if err := tx.Put(store.Users, u.ID, &u); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "user.did", u.ID, did)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}
