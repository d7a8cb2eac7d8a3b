package proof

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/base64"
	"fmt"
	"strconv"
	"sync"

	"github.com/fxamacker/cbor/v2"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/keys"
)

// Header bytes of ecdsa-sd-2023 proof values (Data Integrity ECDSA
// Cryptosuites 1.0, serializeBaseProofValue and
// serializeDerivedProofValue).
var (
	sdBaseHeader    = []byte{0xd9, 0x5d, 0x00}
	sdDerivedHeader = []byte{0xd9, 0x5d, 0x01}
)

// Bounds on a derived proof value, checked before and during decoding: a
// holder's input is hostile until its signatures verify. A document has at
// most canon.DefaultLimits().MaxQuads statements and MaxBlankNodes blank
// nodes, so no honest proof needs more signatures or labels than these.
const (
	maxSDStatements = 4096
	maxSDLabels     = 512
	// maxDerivedProofValue fits maxSDStatements signatures (66 CBOR bytes
	// each) and maxSDLabels labels (37 bytes each), base64url encoded.
	maxDerivedProofValue = 1 << 19
	sdSignatureLen       = 64
	sdLabelLen           = 32
)

// derived is a parsed ecdsa-sd-2023 derived proof value (parseDerivedProofValue).
type derived struct {
	// baseSignature is the issuer's signature over the proof options hash,
	// publicKey and the mandatory statements' hash.
	baseSignature []byte
	// publicKey is the proof-scoped key as Multikey bytes, signed as is.
	publicKey []byte
	proofKey  *ecdsa.PublicKey
	// signatures sign the disclosed non-mandatory statements, in order.
	signatures [][]byte
	// labels maps canonical labels (c14n0, ...) to the issuer's HMAC labels.
	labels map[string]string
	// mandatory lists the positions of the mandatory statements among the
	// relabelled, sorted statements.
	mandatory []int
}

// derivedCBOR is the CBOR array after the header: five elements, in order.
type derivedCBOR struct {
	_                struct{} `cbor:",toarray"`
	BaseSignature    []byte
	PublicKey        []byte
	Signatures       [][]byte
	LabelMap         map[uint64][]byte
	MandatoryIndexes []uint64
}

// sdDecMode decodes with the limits above and without the CBOR features
// the suite never uses: tags (the spec forbids them), indefinite lengths
// and duplicate map keys.
var sdDecMode = sync.OnceValues(func() (cbor.DecMode, error) {
	return cbor.DecOptions{
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		MaxNestedLevels:  4,
		MaxArrayElements: maxSDStatements,
		MaxMapPairs:      maxSDLabels,
		IndefLength:      cbor.IndefLengthForbidden,
		TagsMd:           cbor.TagsForbidden,
	}.DecMode()
})

// decodeDerived parses a derived proof value and checks every component's
// type and size (parseDerivedProofValue). A base proof is refused: it holds
// the issuer's HMAC key and is meant for the holder alone.
func decodeDerived(s string) (*derived, error) {
	d, err := parseDerived(s)
	if err != nil {
		return nil, fmt.Errorf("reading the ecdsa-sd-2023 proof value: %w", err)
	}
	return d, nil
}

func parseDerived(s string) (*derived, error) {
	body, err := derivedBody(s)
	if err != nil {
		return nil, err
	}

	dm, err := sdDecMode()
	if err != nil {
		return nil, fmt.Errorf("building the CBOR decoder: %w", err)
	}
	var c derivedCBOR
	if err := dm.Unmarshal(body, &c); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return c.check()
}

// derivedBody bounds, decodes and checks the header of a proof value, and
// returns the CBOR that follows the header.
func derivedBody(s string) ([]byte, error) {
	if len(s) > maxDerivedProofValue {
		return nil, fmt.Errorf("%w: %d characters long", ErrMalformed, len(s))
	}
	if len(s) < 1 || s[0] != multibase.PrefixBase64URL {
		return nil, fmt.Errorf("%w: not base64url multibase", ErrMalformed)
	}

	raw, err := multibase.DecodeLimit(s, maxDerivedProofValue)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}

	switch {
	case bytes.HasPrefix(raw, sdDerivedHeader):
		return raw[len(sdDerivedHeader):], nil
	case bytes.HasPrefix(raw, sdBaseHeader):
		return nil, fmt.Errorf("%w: this is a base proof, which is for the holder to derive "+
			"a disclosure from, not meant for verifiers", ErrUnsupported)
	}
	return nil, fmt.Errorf("%w: no derived proof header (0xd95d01)", ErrMalformed)
}

// check validates the decoded components and converts them to the forms
// verification uses.
func (c *derivedCBOR) check() (*derived, error) {
	if len(c.BaseSignature) != sdSignatureLen {
		return nil, fmt.Errorf("%w: base signature is %d bytes, want %d",
			ErrMalformed, len(c.BaseSignature), sdSignatureLen)
	}
	for i, sig := range c.Signatures {
		if len(sig) != sdSignatureLen {
			return nil, fmt.Errorf("%w: signature %d is %d bytes, want %d",
				ErrMalformed, i, len(sig), sdSignatureLen)
		}
	}

	key, err := proofScopedKey(c.PublicKey)
	if err != nil {
		return nil, err
	}
	labels, err := decompressLabels(c.LabelMap)
	if err != nil {
		return nil, err
	}
	mandatory, err := mandatoryIndexes(c.MandatoryIndexes)
	if err != nil {
		return nil, err
	}

	return &derived{
		baseSignature: c.BaseSignature, publicKey: c.PublicKey, proofKey: key,
		signatures: c.Signatures, labels: labels, mandatory: mandatory,
	}, nil
}

// proofScopedKey parses the proof-scoped public key, which the suite
// requires to be a P-256 Multikey; ParseMultikeyBytes also reads P-384
// keys, which are refused here.
func proofScopedKey(raw []byte) (*ecdsa.PublicKey, error) {
	pub, err := keys.ParseMultikeyBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: proof-scoped key: %w", ErrMalformed, err)
	}

	if keyTypeOf(pub) != keys.P256 {
		return nil, fmt.Errorf("%w: proof-scoped key is not a P-256 key", ErrMalformed)
	}
	return pub.(*ecdsa.PublicKey), nil
}

// decompressLabels turns the compressed label map back into labels
// (decompressLabelMap): key n becomes "c14n<n>", a value becomes "u" and
// its base64url encoding.
func decompressLabels(m map[uint64][]byte) (map[string]string, error) {
	labels := make(map[string]string, len(m))
	for k, v := range m {
		if len(v) != sdLabelLen {
			return nil, fmt.Errorf("%w: label for c14n%d is %d bytes, want %d",
				ErrMalformed, k, len(v), sdLabelLen)
		}
		labels["c14n"+strconv.FormatUint(k, 10)] = "u" + base64.RawURLEncoding.EncodeToString(v)
	}
	return labels, nil
}

// mandatoryIndexes converts the mandatory statement positions, refusing
// duplicates and positions no document within the limits can have.
func mandatoryIndexes(raw []uint64) ([]int, error) {
	seen := make(map[uint64]bool, len(raw))
	out := make([]int, len(raw))
	for i, idx := range raw {
		if idx >= maxSDStatements {
			return nil, fmt.Errorf("%w: mandatory index %d is out of range", ErrMalformed, idx)
		}
		if seen[idx] {
			return nil, fmt.Errorf("%w: mandatory index %d is repeated", ErrMalformed, idx)
		}
		seen[idx] = true
		out[i] = int(idx)
	}
	return out, nil
}
