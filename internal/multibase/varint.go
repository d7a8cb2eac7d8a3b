package multibase

import (
	"encoding/binary"
	"fmt"
)

// Multicodec codes for the public key types Laurel puts in Multikey values
// (multicodec table, "key" tag; Controlled Identifiers 1.0 §2.2.2).
const (
	CodecEd25519Pub uint64 = 0xed
	CodecP256Pub    uint64 = 0x1200
	CodecP384Pub    uint64 = 0x1201
)

// maxVarintLen caps a multicodec varint. The multiformats unsigned-varint
// spec allows at most 9 bytes; real key codes need 2.
const maxVarintLen = 9

// PutCodec returns data prefixed with code as an unsigned varint, the
// multicodec header that tells readers what the bytes are.
func PutCodec(code uint64, data []byte) []byte {
	out := binary.AppendUvarint(nil, code)

	return append(out, data...)
}

// SplitCodec reads the unsigned-varint multicodec prefix of b and returns the
// code and the remaining bytes. Non-minimal encodings are refused, as the
// unsigned-varint spec requires, so one code has exactly one byte form and a
// prefix comparison cannot be fooled.
func SplitCodec(b []byte) (uint64, []byte, error) {
	head := b
	if len(head) > maxVarintLen {
		head = head[:maxVarintLen]
	}

	code, n := binary.Uvarint(head)
	if n <= 0 {
		return 0, nil, fmt.Errorf("reading multicodec varint: truncated or too long: %w", ErrMalformed)
	}
	if n > 1 && b[n-1] == 0 {
		return 0, nil, fmt.Errorf("reading multicodec varint: not minimally encoded: %w", ErrMalformed)
	}

	return code, b[n:], nil
}
