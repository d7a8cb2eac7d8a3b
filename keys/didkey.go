package keys

import (
	"crypto"
	"fmt"
	"strings"
)

// didKeyPrefix starts every did:key identifier (did:key Method 0.7, "Format").
const didKeyPrefix = "did:key:"

// maxDIDLen bounds DIDs and DID URLs before any parsing; real ones are far
// shorter, and the bound keeps hostile input cheap to refuse.
const maxDIDLen = 2048

// Verification method types this package reads or writes.
const (
	// TypeMultikey is a key given as publicKeyMultibase (Controlled
	// Identifiers 1.0 §2.2.2), the form did:key and Data Integrity use.
	TypeMultikey = "Multikey"
	// TypeJSONWebKey is a key given as publicKeyJwk (Controlled Identifiers
	// 1.0 §2.2.3); it is the only form available for RSA.
	TypeJSONWebKey = "JsonWebKey"
	// TypeJSONWebKey2020 is the older name of TypeJSONWebKey, still common in
	// published DID documents; it is read, never written.
	TypeJSONWebKey2020 = "JsonWebKey2020"
	// TypeEd25519VerificationKey2020 is the legacy Ed25519 form used with
	// Ed25519Signature2020 proofs; it is read, never written.
	TypeEd25519VerificationKey2020 = "Ed25519VerificationKey2020"
)

// VerificationMethod is a public key as a DID document publishes it
// (DID Core 1.0 §5.2): what a verifier needs to check a proof whose
// verificationMethod is ID.
type VerificationMethod struct {
	// ID is the absolute DID URL of the method, such as "did:key:zX#zX".
	ID string
	// Type is one of TypeMultikey, TypeJSONWebKey, TypeJSONWebKey2020 or
	// TypeEd25519VerificationKey2020. An empty Type given to DIDWebDocument
	// means Multikey where the key has that form and JsonWebKey otherwise.
	Type string
	// Controller is the DID that controls the key; a verifier must check it
	// is the credential issuer before trusting a proof made with the key
	// (Controlled Identifiers 1.0, "Retrieve Verification Method").
	Controller string
	// PublicKey is an ed25519.PublicKey, *ecdsa.PublicKey (P-256, or
	// P-384 for verification only) or *rsa.PublicKey.
	PublicKey crypto.PublicKey
	// Relationships says which verification relationships of the
	// controller's document list the method; the zero value means not
	// known (see Relationships). DIDWebDocument ignores it: Laurel lists
	// every method it publishes under each relationship it records.
	Relationships Relationships
}

// DIDKey returns the did:key identifier of an Ed25519, P-256 or P-384 key:
// "did:key:" followed by its Multikey value. RSA gives ErrUnsupported, since
// Laurel publishes RSA keys through did:web only.
func DIDKey(pub crypto.PublicKey) (string, error) {
	mk, err := Multikey(pub)
	if err != nil {
		return "", fmt.Errorf("building did:key: %w", err)
	}

	return didKeyPrefix + mk, nil
}

// ResolveDIDKey resolves "did:key:zX" or "did:key:zX#zX" without any network
// access (did:key Method 0.7, "Read": the document is derived from the
// identifier). A fragment other than the key's own multibase value is
// refused, as are paths and queries, so one key has exactly one method ID.
// The derived document lists the key under every verification
// relationship, assertionMethod and authentication included.
func ResolveDIDKey(didURL string) (*VerificationMethod, error) {
	if len(didURL) > maxDIDLen {
		return nil, fmt.Errorf("resolving did:key: %d bytes is too long: %w", len(didURL), ErrMalformed)
	}

	rest, ok := strings.CutPrefix(didURL, didKeyPrefix)
	if !ok {
		return nil, fmt.Errorf("resolving did:key: not a did:key identifier: %w", ErrMalformed)
	}

	mb, fragment, hasFragment := strings.Cut(rest, "#")
	if hasFragment && fragment != mb {
		return nil, fmt.Errorf("resolving did:key: fragment does not match the key: %w", ErrMalformed)
	}

	pub, err := ParseMultikey(mb)
	if err != nil {
		return nil, fmt.Errorf("resolving did:key: %w", err)
	}

	did := didKeyPrefix + mb
	vm := &VerificationMethod{ID: did + "#" + mb, Type: TypeMultikey, Controller: did,
		PublicKey: pub, Relationships: AllRelationships()}

	return vm, nil
}
