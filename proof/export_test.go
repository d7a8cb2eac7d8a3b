package proof

import "crypto"

// DecodeDerivedForTest exposes the ecdsa-sd-2023 derived proof value
// decoder to the fuzz target, which has no document to verify against.
func DecodeDerivedForTest(s string) error {
	_, err := decodeDerived(s)
	return err
}

// JCSDigestForTest exposes the SHA-256 JCS digest of a decoded document to
// the fuzz target, which compares it with the canonical form of the text
// the document was decoded from.
func JCSDigestForTest(doc map[string]any) ([]byte, error) {
	return jcsDigest(doc, crypto.SHA256)
}
