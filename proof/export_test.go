package proof

// DecodeDerivedForTest exposes the ecdsa-sd-2023 derived proof value
// decoder to the fuzz target, which has no document to verify against.
func DecodeDerivedForTest(s string) error {
	_, err := decodeDerived(s)
	return err
}
