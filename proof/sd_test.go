package proof_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
)

// Derived ecdsa-sd-2023 credentials: the 1EdTech validator's Open Badge and
// the W3C specification's windsurfing vector (see testdata/README.md).
var (
	sdBadge = filepath.Join(examples, "validator-ecdsa-sd-2023-derived.json")
	sdWind  = filepath.Join("testdata", "w3c-ecdsa-sd-2023-derived-wind.json")
)

var (
	derivedHeader = []byte{0xd9, 0x5d, 0x01}
	baseHeader    = []byte{0xd9, 0x5d, 0x00}
)

// sdParts mirrors the CBOR array of a derived proof value, so tests can
// take real proofs apart and put hostile ones together.
type sdParts struct {
	_                struct{} `cbor:",toarray"`
	BaseSignature    any
	PublicKey        any
	Signatures       any
	LabelMap         any
	MandatoryIndexes any
}

func rawProofValue(t testing.TB, doc map[string]any) []byte {
	t.Helper()
	s := firstProof(doc)["proofValue"].(string)
	raw, err := base64.RawURLEncoding.DecodeString(s[1:])
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func decodeParts(t testing.TB, doc map[string]any) sdParts {
	t.Helper()
	var p struct {
		_                struct{} `cbor:",toarray"`
		BaseSignature    []byte
		PublicKey        []byte
		Signatures       [][]byte
		LabelMap         map[uint64][]byte
		MandatoryIndexes []uint64
	}
	if err := cbor.Unmarshal(rawProofValue(t, doc)[3:], &p); err != nil {
		t.Fatal(err)
	}
	return sdParts{
		BaseSignature: p.BaseSignature, PublicKey: p.PublicKey, Signatures: p.Signatures,
		LabelMap: p.LabelMap, MandatoryIndexes: p.MandatoryIndexes,
	}
}

func encodeValue(t testing.TB, header []byte, v any) string {
	t.Helper()
	body, err := cbor.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return "u" + base64.RawURLEncoding.EncodeToString(append(bytes.Clone(header), body...))
}

func withProofValue(doc map[string]any, value string) map[string]any {
	firstProof(doc)["proofValue"] = value
	return doc
}

// Both published derived proofs verify: the badge discloses every
// statement and has no mandatory ones; the W3C vector mixes mandatory and
// disclosed statements and several blank nodes under HMAC labels.
func TestSDDerivedVectors(t *testing.T) {
	e := newEngine(t)
	for _, path := range []string{sdBadge, sdWind} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			verifyAll(t, e, testkit.ReadJSON(t, path))
		})
	}
}

// Changes to the disclosed document break the proof, each with its cause.
func TestSDTamperedDocument(t *testing.T) {
	achievement := func(d map[string]any) map[string]any {
		return d["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	}
	cases := []struct {
		name, file, says string
		edit             func(d map[string]any)
	}{
		{"changed disclosed value", sdBadge, "disclosed statement",
			func(d map[string]any) { achievement(d)["name"] = "Leadership" }},
		{"removed disclosed statement", sdBadge, "15 signatures for 14 non-mandatory statements",
			func(d map[string]any) { delete(achievement(d), "description") }},
		{"added blank node", sdBadge, "label map",
			func(d map[string]any) {
				address := map[string]any{"type": []any{"Address"}, "addressCountry": "US"}
				d["issuer"].(map[string]any)["address"] = address
			}},
		{"changed mandatory value", sdWind, "base signature",
			func(d map[string]any) { d["issuer"] = "https://vc.example/windsurf/other" }},
		{"changed proof options", sdWind, "base signature",
			func(d map[string]any) { firstProof(d)["created"] = "2024-01-01T00:00:00Z" }},
	}

	e := newEngine(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := testkit.ReadJSON(t, tc.file)
			tc.edit(doc)
			err := verifyOne(t, e, doc, proof.Expect{})
			if !errors.Is(err, proof.ErrSignature) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want ErrSignature saying %q", err, tc.says)
			}
		})
	}
}

// Broken and hostile proof values are refused before any signature is
// checked, each with a reason.
func TestSDHostileProofValue(t *testing.T) {
	badge := testkit.ReadJSON(t, sdBadge)
	good := decodeParts(t, badge)
	raw := rawProofValue(t, badge)
	b64 := func(b []byte) string { return "u" + base64.RawURLEncoding.EncodeToString(b) }
	edit := func(f func(p *sdParts)) string {
		p := good
		f(&p)
		return encodeValue(t, derivedHeader, p)
	}
	sigs := good.Signatures.([][]byte)

	compressed := func(x byte) []byte { return append([]byte{0x80, 0x24, 0x02}, bytes.Repeat([]byte{x}, 32)...) }
	oneLabel := good.LabelMap.(map[uint64][]byte)[0]
	tagged := append(append(bytes.Clone(derivedHeader), 0xc0), raw[3:]...)
	swapped := append([][]byte{sigs[1], sigs[0]}, sigs[2:]...)
	p384Multikey, err := multibase.DecodeBase58BTC(specP384Multikey)
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, value string
		want        error
		says        string
	}{
		{"wrong signature count", edit(func(p *sdParts) { p.Signatures = sigs[:len(sigs)-1] }),
			proof.ErrSignature, "14 signatures for 15"},
		{"swapped signatures", edit(func(p *sdParts) { p.Signatures = swapped }),
			proof.ErrSignature, "disclosed statement 0"},
		{"truncated CBOR", b64(raw[:len(raw)-10]),
			proof.ErrMalformed, "unexpected EOF"},
		{"trailing bytes", b64(append(bytes.Clone(raw), 0)),
			proof.ErrMalformed, "extraneous data"},
		{"base proof", encodeValue(t, baseHeader, []any{sigs[0], good.PublicKey, oneLabel, sigs, []any{}}),
			proof.ErrUnsupported, "not meant for verifiers"},
		{"wrong header", b64(append([]byte{0xd9, 0x5d, 0x02}, raw[3:]...)),
			proof.ErrMalformed, "header"},
		{"base58 value", "z" + strings.Repeat("2", 60),
			proof.ErrMalformed, "base64url"},
		{"too long", "u" + strings.Repeat("A", 1<<20),
			proof.ErrMalformed, "characters long"},
		{"tagged", b64(tagged),
			proof.ErrMalformed, "tag"},
		{"four components", encodeValue(t, derivedHeader, []any{sigs[0], good.PublicKey, sigs, good.LabelMap}),
			proof.ErrMalformed, "array"},
		{"text for bytes", edit(func(p *sdParts) { p.BaseSignature = strings.Repeat("x", 64) }),
			proof.ErrMalformed, "text string"},
		{"short base signature", edit(func(p *sdParts) { p.BaseSignature = sigs[0][:63] }),
			proof.ErrMalformed, "63 bytes"},
		{"short signature", edit(func(p *sdParts) { p.Signatures = append([][]byte{sigs[0][:10]}, sigs[1:]...) }),
			proof.ErrMalformed, "signature 0 is 10 bytes"},
		{"ed25519 proof key", edit(func(p *sdParts) { p.PublicKey = append([]byte{0xed, 0x01}, make([]byte, 32)...) }),
			proof.ErrMalformed, "not a P-256 key"},
		{"p384 proof key", edit(func(p *sdParts) { p.PublicKey = p384Multikey }),
			proof.ErrMalformed, "not a P-256 key"},
		{"point off the curve", edit(func(p *sdParts) { p.PublicKey = compressed(0xff) }),
			proof.ErrMalformed, "proof-scoped key"},
		{"short label", edit(func(p *sdParts) { p.LabelMap = map[uint64][]byte{0: {1, 2, 3}} }),
			proof.ErrMalformed, "3 bytes"},
		{"text label key", edit(func(p *sdParts) { p.LabelMap = map[string][]byte{"c14n0": oneLabel} }),
			proof.ErrMalformed, "text string"},
		{"extra label", edit(func(p *sdParts) { p.LabelMap = map[uint64][]byte{0: oneLabel, 1: make([]byte, 32)} }),
			proof.ErrSignature, "2 labels for 1 blank nodes"},
		{"negative index", edit(func(p *sdParts) { p.MandatoryIndexes = []int{-1} }),
			proof.ErrMalformed, "negative"},
		{"repeated index", edit(func(p *sdParts) { p.MandatoryIndexes = []int{0, 0} }),
			proof.ErrMalformed, "repeated"},
		{"index past the end", edit(func(p *sdParts) { p.MandatoryIndexes = []int{15} }),
			proof.ErrSignature, "15 statements"},
		{"index out of range", edit(func(p *sdParts) { p.MandatoryIndexes = []uint64{1 << 40} }),
			proof.ErrMalformed, "out of range"},
	}

	e := newEngine(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := withProofValue(testkit.ReadJSON(t, sdBadge), tc.value)
			err := verifyOne(t, e, doc, proof.Expect{})
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("got %v, want %v saying %q", err, tc.want, tc.says)
			}
		})
	}
}

// CBOR that declares, or holds, more items than any real proof are
// refused by the decoder's limits before anything large is allocated.
func TestSDGiantCBOR(t *testing.T) {
	good := decodeParts(t, testkit.ReadJSON(t, sdBadge))
	sigs := good.Signatures.([][]byte)

	// A signatures array claiming 2^63-1 elements, backed by nothing.
	declared := []byte{0x85, 0x58, 0x40}
	declared = append(declared, sigs[0]...)
	declared = append(declared, 0x58, 0x23)
	declared = append(declared, good.PublicKey.([]byte)...)
	declared = append(declared, 0x9b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)

	many := good
	many.Signatures = make([][]byte, 5000)
	for i := range many.Signatures.([][]byte) {
		many.Signatures.([][]byte)[i] = sigs[0]
	}
	labels := map[uint64][]byte{}
	for i := range uint64(600) {
		labels[i] = make([]byte, 32)
	}
	wide := good
	wide.LabelMap = labels

	b64 := func(b []byte) string {
		return "u" + base64.RawURLEncoding.EncodeToString(append(bytes.Clone(derivedHeader), b...))
	}
	indexes := []any{sigs[0], good.PublicKey, sigs, good.LabelMap, make([]uint64, 5000)}

	e := newEngine(t)
	for name, value := range map[string]string{
		"declared array":   b64(declared),
		"5000 signatures":  encodeValue(t, derivedHeader, many),
		"600 labels":       encodeValue(t, derivedHeader, wide),
		"deeply nested":    encodeValue(t, derivedHeader, []any{[]any{[]any{[]any{[]any{[]any{}}}}}}),
		"5000 indexes":     encodeValue(t, derivedHeader, indexes),
		"indefinite array": b64([]byte{0x9f, 0xff}),
	} {
		t.Run(name, func(t *testing.T) {
			doc := withProofValue(testkit.ReadJSON(t, sdBadge), value)
			err := verifyOne(t, e, doc, proof.Expect{})
			if !errors.Is(err, proof.ErrMalformed) || !strings.Contains(err.Error(), "cbor: ") {
				t.Fatalf("got %v, want ErrMalformed from the CBOR decoder", err)
			}
		})
	}
}

// The issuer key must be P-256; an Ed25519 or P-384 verification method
// is refused before any work on the proof's signatures.
func TestSDNeedsP256Issuer(t *testing.T) {
	_, ed := generate(t, keys.Ed25519)
	p384 := "did:key:" + specP384Multikey + "#" + specP384Multikey
	for _, vm := range []string{ed, p384} {
		doc := testkit.ReadJSON(t, sdWind)
		firstProof(doc)["verificationMethod"] = vm
		err := verifyOne(t, newEngine(t), doc, proof.Expect{})
		if !errors.Is(err, proof.ErrUnsupported) || !strings.Contains(err.Error(), "needs a p256 key") {
			t.Fatalf("%s: got %v, want ErrUnsupported", vm, err)
		}
	}
}

// Laurel does not create ecdsa-sd-2023 proofs.
func TestSDSignRefused(t *testing.T) {
	k, vm := generate(t, keys.P256)
	_, err := newEngine(t).Sign(credential(), k, proof.Options{VerificationMethod: vm, Suite: proof.SuiteECDSASD2023})
	if !errors.Is(err, proof.ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
}
