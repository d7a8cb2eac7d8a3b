package issuer

import (
	"fmt"

	"github.com/laurel-badges/laurel/store"
)

// Issuers lists the office's issuers in id order. An office usually has
// one; a regional agency running Laurel for several districts has more,
// and its administrator picks which one to look after.
func (s *Service) Issuers(actor *User) ([]Issuer, error) {
	if err := s.require(actor, "issuer.list", RoleAdmin); err != nil {
		return nil, err
	}

	var out []Issuer
	err := s.db.View(func(tx *store.Tx) error {
		return tx.Scan(store.Issuers, "", func(_ string, raw []byte) (bool, error) {
			var iss Issuer
			if err := decode(raw, &iss); err != nil {
				return false, err
			}
			out = append(out, iss)
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("listing issuers: %w", err)
	}
	return out, nil
}

// SigningKeys returns the keys the issuer signs with now, so a settings
// page can mark them among the retired ones: the newest unretired Data
// Integrity key, and the newest unretired VC-JWT key (nil unless a did:web
// issuer enabled VC-JWT; a did:key issuer signs its JWTs with proofKey).
func (iss *Issuer) SigningKeys() (proofKey, jwtKey *KeyRef) {
	return activeKey(iss), activeKey(iss, true)
}
