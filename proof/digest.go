package proof

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"github.com/laurel-badges/laurel/keys"
)

// digest returns the hash h of the canonical N-Quads of doc: SHA-384 when h
// says so, SHA-256 otherwise.
func (e *Engine) digest(doc map[string]any, h crypto.Hash) ([]byte, error) {
	w := newHash(h)
	if err := e.canon.CanonicalizeTo(w, doc); err != nil {
		return nil, err
	}
	return w.Sum(nil), nil
}

// newHash returns SHA-384 when h says so, SHA-256 otherwise: the only two
// hashes the suites here take.
func newHash(h crypto.Hash) hash.Hash {
	if h == crypto.SHA384 {
		return sha512.New384()
	}
	return sha256.New()
}

// curveHash names the hash of both digests a proof made with pub signs,
// under the RDFC and the JCS suites alike. ecdsa-rdfc-2019 and
// ecdsa-jcs-2019 take SHA-384 with a P-384 key and SHA-256 with a P-256 key
// (Data Integrity ECDSA Cryptosuites 1.0, "Hashing (ecdsa-rdfc-2019)" and
// "Hashing (ecdsa-jcs-2019)"); the EdDSA suites always take SHA-256. The
// caller has already checked that the key suits the proof's suite.
func curveHash(pub crypto.PublicKey) crypto.Hash {
	if keyTypeOf(pub) == keys.P384 {
		return crypto.SHA384
	}
	return crypto.SHA256
}

// keyTypeOf names the type of a resolved public key, or "" for a key
// package keys does not accept.
func keyTypeOf(pub crypto.PublicKey) keys.Type {
	t, err := keys.TypeOf(pub)
	if err != nil {
		return ""
	}
	return t
}
