package multibase

import "fmt"

// base58Alphabet is the Bitcoin alphabet, which the Multibase spec names
// base58btc: digits and letters without 0, O, I and l.
const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Invalid marks bytes outside the alphabet in base58Index.
const base58Invalid = 0xff

// base58Index maps an input byte to its digit value, or base58Invalid. It is
// built per call rather than kept as a package variable, following the
// project rule against globals; 256 bytes on the stack is cheap.
func base58Index() [256]byte {
	var idx [256]byte
	for i := range idx {
		idx[i] = base58Invalid
	}
	for i := 0; i < len(base58Alphabet); i++ {
		idx[base58Alphabet[i]] = byte(i)
	}

	return idx
}

// encodeBase58 converts b to base58 by repeated division of a big-endian
// number held as base-58 digits. Each leading zero byte becomes a leading '1',
// as Bitcoin's encoding requires.
func encodeBase58(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}

	// log(256)/log(58) is about 1.366, so this many digits always suffice.
	digits := make([]byte, (len(b)-zeros)*138/100+1)
	used := 0
	for _, v := range b[zeros:] {
		carry := int(v)
		for j := 0; j < used || carry != 0; j++ {
			carry += 256 * int(digits[j])
			digits[j] = byte(carry % 58)
			carry /= 58
			if j >= used {
				used = j + 1
			}
		}
	}

	out := make([]byte, zeros+used)
	for i := 0; i < zeros; i++ {
		out[i] = base58Alphabet[0]
	}
	for i := 0; i < used; i++ {
		out[zeros+i] = base58Alphabet[digits[used-1-i]]
	}

	return string(out)
}

// decodeBase58 is the inverse of encodeBase58. Callers bound len(s) first:
// the work is quadratic in the input length.
func decodeBase58(s string) ([]byte, error) {
	idx := base58Index()
	zeros := 0
	for zeros < len(s) && s[zeros] == base58Alphabet[0] {
		zeros++
	}

	// log(58)/log(256) is about 0.733, so this many bytes always suffice.
	acc := make([]byte, (len(s)-zeros)*733/1000+1)
	used := 0
	for i := zeros; i < len(s); i++ {
		d := idx[s[i]]
		if d == base58Invalid {
			return nil, fmt.Errorf("decoding base58: invalid character at offset %d: %w", i, ErrMalformed)
		}

		carry := int(d)
		for j := 0; j < used || carry != 0; j++ {
			carry += 58 * int(acc[j])
			acc[j] = byte(carry)
			carry >>= 8
			if j >= used {
				used = j + 1
			}
		}
	}

	out := make([]byte, zeros+used)
	for i := 0; i < used; i++ {
		out[zeros+i] = acc[used-1-i]
	}

	return out, nil
}
