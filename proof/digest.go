package proof

import "crypto/sha256"

// digest returns SHA-256 of the canonical N-Quads of doc.
func (e *Engine) digest(doc map[string]any) ([]byte, error) {
	nquads, err := e.canon.Canonicalize(doc)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(nquads))
	return sum[:], nil
}
