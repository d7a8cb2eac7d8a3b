package issuer

import (
	"fmt"
	"io"
	"strings"

	"github.com/laurel-badges/laurel/schemas"
	"github.com/laurel-badges/laurel/store"
)

// CredentialURL is where an issued credential is published: the public
// URL followed by /credentials/ and the credential's UUID.
func (s *Service) CredentialURL(id string) string {
	return s.publicURL + "/credentials/" + strings.TrimPrefix(id, "urn:uuid:")
}

// AchievementDocument is the public JSON-LD description of an achievement,
// served at the id credentials give it (OB 3.0 §B.1.2 Achievement).
func (s *Service) AchievementDocument(id string) (map[string]any, error) {
	a, err := s.Achievement(id)
	if err != nil {
		return nil, err
	}
	doc := s.achievementJSON(a)
	doc["@context"] = []any{schemas.ContextVC2, schemas.ContextOB303}
	return doc, nil
}

// ProfileDocument is an issuer's public Profile as JSON-LD (OB 3.0 §B.1.17).
func (s *Service) ProfileDocument(issuerID string) (map[string]any, error) {
	iss, err := s.Issuer(issuerID)
	if err != nil {
		return nil, err
	}
	doc := s.profileJSON(iss)
	doc["@context"] = []any{schemas.ContextVC2, schemas.ContextOB303}
	return doc, nil
}

// publicFileKey indexes evidence files that an issued credential names as
// public evidence; only those are served to anyone.
func publicFileKey(fileID string) string { return "public-file/" + fileID }

// PublicEvidence returns an evidence file that an issued credential cites
// as public. Any other file, private evidence included, is not found.
func (s *Service) PublicEvidence(id string) (name, contentType string, data []byte, err error) {
	var f storedFile
	err = s.db.View(func(tx *store.Tx) error {
		if !tx.Has(store.Index, publicFileKey(id)) {
			return fmt.Errorf("evidence %s: %w", id, store.ErrNotFound)
		}
		return tx.Get(store.Files, id, &f)
	})
	if err != nil {
		return "", "", nil, notFound(err)
	}
	return f.Name, f.ContentType, f.Data, nil
}

// Backup writes a consistent snapshot of the data file to w while the
// office keeps serving.
func (s *Service) Backup(w io.Writer) (int64, error) {
	return s.db.Backup(w)
}
