package status

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/laurel-badges/laurel/internal/multibase"
)

// MinBits is the fewest entries a list may have: Bitstring Status List
// v1.0 §2.2 (encodedList is at least 16KB uncompressed) and §3.2 step 2
// (minimumNumberOfEntries) require 131,072, so that one credential hides
// among many ("Revocation Bitstring Length" under Privacy Considerations).
const MinBits = 131072

// minBytes is MinBits as bytes: 16 KiB.
const minBytes = MinBits / 8

// Causes of ErrDecode, so a Reason can say what went wrong in words.
var (
	errTooLarge    = errors.New("list too large")
	errEncoding    = errors.New("not multibase base64url")
	errCompression = errors.New("not valid GZIP data")
)

// DefaultMaxListBytes is the largest decoded list DecodeList and the
// Checker accept unless told otherwise: 1 MiB holds 8,388,608 entries,
// far more than one list needs, and bounds the memory a hostile list costs.
const DefaultMaxListBytes = 1 << 20

// List is a bitstring of status bits, one per credential, with statusSize
// 1 (§2.1). Bit 0 is the left-most, most significant bit of the first
// byte (§2.2 encodedList). A List is not safe for
// concurrent use.
type List struct {
	bits []byte
}

// NewList returns a list of size bits, all clear. Size must be a multiple
// of 8, since the list is published as whole bytes, and at least MinBits.
func NewList(size int) (*List, error) {
	if size < MinBits || size%8 != 0 {
		return nil, fmt.Errorf("creating list of %d bits: need a multiple of 8 of at least %d: %w",
			size, MinBits, ErrListLength)
	}

	return &List{bits: make([]byte, size/8)}, nil
}

// Len returns the number of bits in the list.
func (l *List) Len() int { return len(l.bits) * 8 }

// Set sets bit index to v: true revokes or suspends the credential holding
// that index, false restores it.
func (l *List) Set(index int, v bool) error {
	if err := l.checkIndex(index); err != nil {
		return err
	}

	mask := byte(0x80) >> (index % 8)
	if v {
		l.bits[index/8] |= mask
	} else {
		l.bits[index/8] &^= mask
	}
	return nil
}

// Get reports whether bit index is set.
func (l *List) Get(index int) (bool, error) {
	if err := l.checkIndex(index); err != nil {
		return false, err
	}

	mask := byte(0x80) >> (index % 8)
	return l.bits[index/8]&mask != 0, nil
}

func (l *List) checkIndex(index int) error {
	if index < 0 || index >= l.Len() {
		return fmt.Errorf("index %d of a list of %d: %w", index, l.Len(), ErrIndexRange)
	}
	return nil
}

// Encode returns the list as an encodedList value (§2.2): the multibase
// base64url, without padding and with the "u" prefix, of the GZIP
// compression of the bitstring (Bitstring Generation Algorithm). The
// GZIP header carries no time, so equal lists encode equally.
func (l *List) Encode() (string, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", fmt.Errorf("compressing list: %w", err)
	}

	if _, err := zw.Write(l.bits); err != nil {
		return "", fmt.Errorf("compressing list: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("compressing list: %w", err)
	}

	return multibase.EncodeBase64URL(buf.Bytes()), nil
}

// DecodeList reads an encodedList (Bitstring Expansion Algorithm).
// maxBytes bounds the decompressed bitstring; zero or less means
// DefaultMaxListBytes. The encoded length is checked against the largest
// encoding such a bitstring could have before any decoding, and
// decompression stops one byte past the cap, so a compression bomb costs
// at most maxBytes of work. The result must hold at least MinBits.
func DecodeList(encoded string, maxBytes int) (*List, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxListBytes
	}

	compressed, err := decodeBase64(encoded, maxBytes)
	if err != nil {
		return nil, err
	}

	bits, err := gunzip(compressed, maxBytes)
	if err != nil {
		return nil, err
	}

	if len(bits) < minBytes {
		return nil, fmt.Errorf("decoding list: %d bytes is below the minimum of %d: %w: %w",
			len(bits), minBytes, ErrDecode, ErrListLength)
	}
	return &List{bits: bits}, nil
}

// decodeBase64 checks the length and the "u" prefix, then decodes. The
// prefix is checked here because multibase also reads base58, whose decoder
// is quadratic and not meant for strings this long.
func decodeBase64(encoded string, maxBytes int) ([]byte, error) {
	limit := maxEncodedLen(maxBytes)
	if len(encoded) > limit {
		return nil, fmt.Errorf("decoding list: %d encoded bytes exceeds the limit of %d: %w: %w",
			len(encoded), limit, ErrDecode, errTooLarge)
	}
	if len(encoded) == 0 || encoded[0] != multibase.PrefixBase64URL {
		return nil, fmt.Errorf("decoding list: no multibase prefix \"u\": %w: %w",
			ErrDecode, errEncoding)
	}

	compressed, err := multibase.DecodeLimit(encoded, limit)
	if err != nil {
		return nil, fmt.Errorf("decoding list: %w: %w: %w", ErrDecode, errEncoding, err)
	}
	return compressed, nil
}

// gunzip decompresses at most maxBytes, and fails on more.
func gunzip(compressed []byte, maxBytes int) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		return nil, fmt.Errorf("decompressing list: %w: %w: %w", ErrDecode, errCompression, err)
	}
	defer zr.Close()

	bits, err := io.ReadAll(io.LimitReader(zr, int64(maxBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("decompressing list: %w: %w: %w", ErrDecode, errCompression, err)
	}

	if len(bits) > maxBytes {
		return nil, fmt.Errorf("decompressing list: expands past the limit of %d bytes: %w: %w",
			maxBytes, ErrDecode, errTooLarge)
	}
	return bits, nil
}

// maxEncodedLen is the longest encodedList a bitstring of maxBytes bytes
// can produce: GZIP adds a header, a trailer and a few bytes per stored
// block to incompressible data, and base64 adds a third.
func maxEncodedLen(maxBytes int) int {
	compressed := maxBytes + maxBytes/1024 + 64
	return 1 + (compressed*4+2)/3
}
