// Package proof creates and verifies Data Integrity proofs (W3C Verifiable
// Credential Data Integrity 1.0) on JSON-LD documents: the eddsa-rdfc-2022
// cryptosuite that Open Badges 3.0 requires (OB 3.0 §8.3), ecdsa-rdfc-2019
// for P-256 keys, and, for verification only, ecdsa-rdfc-2019 with P-384
// keys, the JCS suites eddsa-jcs-2022 and ecdsa-jcs-2019 (P-256 and
// P-384), the legacy eddsa-2022 and Ed25519Signature2020 suites that older
// badges carry and the derived (selectively disclosed) proofs of
// ecdsa-sd-2023.
//
// All of the RDFC suites sign the same thing (Data Integrity EdDSA
// Cryptosuites §3.3.4-3.3.6): SHA-256 of the canonical proof options
// followed by SHA-256 of the canonical document without its proof. With a
// P-384 key, ecdsa-rdfc-2019 takes SHA-384 for both instead (Data Integrity
// ECDSA Cryptosuites 1.0, "Hashing (ecdsa-rdfc-2019)").
// The JCS suites hash the same two parts in their RFC 8785 JSON form
// instead of as canonical N-Quads (jcs.go).
// ecdsa-sd-2023 instead signs each statement on its own with a proof-scoped
// key, so a holder can leave statements out (sd_verify.go).
package proof

import (
	"errors"
	"fmt"
	"time"

	"github.com/laurel-badges/laurel/keys"
)

// Proof types and cryptosuites this package knows.
const (
	TypeDataIntegrity         = "DataIntegrityProof"
	TypeEd25519Signature2020  = "Ed25519Signature2020"
	SuiteEdDSARDFC2022        = "eddsa-rdfc-2022"
	SuiteECDSARDFC2019        = "ecdsa-rdfc-2019"
	SuiteECDSASD2023          = "ecdsa-sd-2023"
	SuiteEdDSAJCS2022         = "eddsa-jcs-2022"
	SuiteECDSAJCS2019         = "ecdsa-jcs-2019"
	SuiteEdDSA2022            = "eddsa-2022"
	PurposeAssertionMethod    = "assertionMethod"
	PurposeAuthentication     = "authentication"
	contextDataIntegrityV1    = "https://w3id.org/security/data-integrity/v1"
	contextEd25519Signature20 = "https://w3id.org/security/suites/ed25519-2020/v1"
)

// Outcomes callers check with errors.Is. Canonicalization failures keep the
// errors of package canon (canon.ErrUnsafe, canon.ErrContext, ...).
var (
	// ErrNoProof reports a document without a proof.
	ErrNoProof = errors.New("document has no proof")
	// ErrMalformed reports a proof missing a required property or holding
	// one of the wrong shape.
	ErrMalformed = errors.New("malformed proof")
	// ErrUnsupported reports a proof type or cryptosuite this verifier does
	// not accept, or a key type the suite does not allow.
	ErrUnsupported = errors.New("unsupported proof type or cryptosuite")
	// ErrPurpose reports a proofPurpose, challenge or domain other than the
	// one the verifier expected.
	ErrPurpose = errors.New("unexpected proof purpose")
	// ErrKey reports a verification method that could not be resolved.
	ErrKey = errors.New("verification method not resolved")
	// ErrPurposeNotAuthorized reports a verification method that its
	// controller's document does not list under the verification
	// relationship the proof's purpose names (Controlled Identifiers 1.0
	// §3.3; VC Data Integrity 1.0 §4.6): a key published for
	// authentication cannot issue credentials, nor the reverse. Errors
	// of this kind are *PurposeError values.
	ErrPurposeNotAuthorized = errors.New("verification method not authorized for the proof purpose")
	// ErrSignature reports a signature that does not verify.
	ErrSignature = errors.New("signature does not verify")
	// ErrExpired reports a proof past its own expires time.
	ErrExpired = errors.New("proof has expired")
)

// PurposeError reports that the controller's document of Method does not
// list it under Purpose. It matches ErrPurposeNotAuthorized.
type PurposeError struct {
	// Method is the verification method's id.
	Method string
	// Purpose is the proofPurpose, which names the relationship.
	Purpose string
}

// Error says which method is not listed under which relationship.
func (e *PurposeError) Error() string {
	return fmt.Sprintf("%s: its controller's document does not list %s under %s",
		ErrPurposeNotAuthorized, e.Method, e.Purpose)
}

// Unwrap makes errors.Is match ErrPurposeNotAuthorized.
func (e *PurposeError) Unwrap() error { return ErrPurposeNotAuthorized }

// Signer signs messages with a private key; *keys.Key implements it. A KMS
// backed key only has to provide these two methods.
type Signer interface {
	Type() keys.Type
	SignMessage(msg []byte) ([]byte, error)
}

// Options describe the proof Sign adds.
type Options struct {
	// Suite is the cryptosuite. Empty means eddsa-rdfc-2022 for Ed25519
	// keys and ecdsa-rdfc-2019 for P-256 keys; those are the only two Sign
	// makes, any other is ErrUnsupported.
	Suite string
	// VerificationMethod is the full DID URL (with fragment) of the key.
	VerificationMethod string
	// Created is the proof's creation time. The zero value means now.
	Created time.Time
	// Purpose is the proofPurpose. Empty means assertionMethod.
	Purpose string
	// Challenge and Domain bind a presentation proof to one exchange
	// (Data Integrity §2.1); empty means absent.
	Challenge string
	Domain    string
}

// Result is the outcome of verifying one proof of a proof set.
type Result struct {
	// Proof is the proof object as found in the document.
	Proof map[string]any
	// Method is the resolved verification method; nil if resolution
	// failed.
	Method *keys.VerificationMethod
	// Err is nil when the proof verified.
	Err error
}

// suiteKeyType says which key type each cryptosuite signs with.
var suiteKeyType = map[string]keys.Type{
	SuiteEdDSARDFC2022: keys.Ed25519,
	SuiteEdDSA2022:     keys.Ed25519,
	SuiteECDSARDFC2019: keys.P256,
	SuiteECDSASD2023:   keys.P256,
	SuiteEdDSAJCS2022:  keys.Ed25519,
	SuiteECDSAJCS2019:  keys.P256,
}

// verifyOnly names the suites Laurel verifies but never signs with:
// eddsa-2022 is legacy, ecdsa-sd-2023 base proofs are not built (Laurel
// only verifies the derived proofs holders present), and Laurel issues
// with RDFC, which Open Badges 3.0 names (OB 3.0 §8.3), not JCS.
var verifyOnly = []string{SuiteEdDSA2022, SuiteECDSASD2023, SuiteEdDSAJCS2022, SuiteECDSAJCS2019}

// verifyKeyTypes names the suites whose proofs Laurel verifies with more
// key types than the one in suiteKeyType. ecdsa-rdfc-2019 and
// ecdsa-jcs-2019 are defined for P-256 and P-384 (Data Integrity ECDSA
// Cryptosuites 1.0, §3.2 and §3.3); Laurel signs with P-256 only.
var verifyKeyTypes = map[string][]keys.Type{
	SuiteECDSARDFC2019: {keys.P256, keys.P384},
	SuiteECDSAJCS2019:  {keys.P256, keys.P384},
}

// maxProofValue bounds a base58 proofValue before it is decoded: a 64-byte
// signature is 88 base58 characters and a 96-byte P-384 one about 132, so
// anything much longer is hostile. ecdsa-sd-2023 values have their own
// bound (maxDerivedProofValue).
const maxProofValue = 256

// maxProofs bounds a proof set; each proof costs a canonicalization.
const maxProofs = 8
