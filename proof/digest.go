package proof

import "crypto/sha256"

// digest returns SHA-256 of the canonical N-Quads of doc.
func (e *Engine) digest(doc map[string]any) ([]byte, error) {
	h := sha256.New()
	if err := e.canon.CanonicalizeTo(h, doc); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
