package proof

import (
	"crypto"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/keys"
)

// verifyData is what createVerifyData yields for a derived proof.
type verifyData struct {
	proofHash     []byte
	mandatoryHash []byte
	nonMandatory  []string
}

// verifyDerived checks an ecdsa-sd-2023 derived proof (Data Integrity
// ECDSA Cryptosuites 1.0, "Verify Derived Proof (ecdsa-sd-2023)"): the
// issuer's base signature binds the proof options, the proof-scoped key and
// the mandatory statements; the proof-scoped key signs each other disclosed
// statement on its own, which is what lets a holder leave statements out.
func (v *verification) verifyDerived(p map[string]any, d *derived, issuer crypto.PublicKey) error {
	data, err := v.derivedData(p, d)
	if err != nil {
		return err
	}

	if err := keys.VerifyMessage(issuer, data.signData(d.publicKey), d.baseSignature); err != nil {
		return fmt.Errorf("%w: ecdsa-sd-2023 base signature: %w", ErrSignature, err)
	}

	for i, sig := range d.signatures {
		if err := keys.VerifyMessage(d.proofKey, []byte(data.nonMandatory[i]), sig); err != nil {
			return fmt.Errorf("%w: ecdsa-sd-2023 disclosed statement %d: %w", ErrSignature, i, err)
		}
	}
	return nil
}

// signData is serializeSignData: what the issuer's base signature covers.
func (data *verifyData) signData(publicKey []byte) []byte {
	out := make([]byte, 0, len(data.proofHash)+len(publicKey)+len(data.mandatoryHash))
	out = append(out, data.proofHash...)
	out = append(out, publicKey...)
	return append(out, data.mandatoryHash...)
}

// derivedData rebuilds the signed statements from the disclosed document
// under the issuer's blank node labels, and splits them into mandatory and
// selectively disclosed ones (createVerifyData).
func (v *verification) derivedData(p map[string]any, d *derived) (*verifyData, error) {
	proofHash, err := v.optionsHash(p, crypto.SHA256)
	if err != nil {
		return nil, err
	}

	unsecured, _, err := v.unsecured(p)
	if err != nil {
		return nil, err
	}
	lines, err := v.engine.canon.CanonicalizeRelabeled(unsecured, d.labels)
	if errors.Is(err, canon.ErrLabels) {
		// The proof was made for a document with other blank nodes.
		return nil, fmt.Errorf("%w: ecdsa-sd-2023 label map: %w", ErrSignature, err)
	}
	if err != nil {
		return nil, fmt.Errorf("canonicalizing document: %w", err)
	}

	mandatory, nonMandatory, err := splitMandatory(lines, d.mandatory)
	if err != nil {
		return nil, err
	}
	if len(d.signatures) != len(nonMandatory) {
		return nil, fmt.Errorf(
			"%w: ecdsa-sd-2023 proof has %d signatures for %d non-mandatory statements",
			ErrSignature, len(d.signatures), len(nonMandatory))
	}

	return &verifyData{
		proofHash:     proofHash,
		mandatoryHash: hashLines(mandatory),
		nonMandatory:  nonMandatory,
	}, nil
}

// splitMandatory separates the statements at the mandatory positions from
// the rest, keeping the order of each group.
func splitMandatory(lines []string, indexes []int) (mandatory, rest []string, err error) {
	isMandatory := make([]bool, len(lines))
	for _, i := range indexes {
		if i >= len(lines) {
			return nil, nil, fmt.Errorf("%w: ecdsa-sd-2023 mandatory index %d is past the %d statements",
				ErrSignature, i, len(lines))
		}
		isMandatory[i] = true
	}

	for i, line := range lines {
		if isMandatory[i] {
			mandatory = append(mandatory, line)
		} else {
			rest = append(rest, line)
		}
	}
	return mandatory, rest, nil
}

// hashLines is hashMandatoryNQuads: SHA-256 of the statements joined, each
// keeping its own line end.
func hashLines(lines []string) []byte {
	h := sha256.New()
	for _, line := range lines {
		h.Write([]byte(line))
	}
	return h.Sum(nil)
}
