package multibase

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// The published 1EdTech Open Badges 3.0 test key, as a Multikey.
const (
	testMultikey   = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
	testPublicHex  = "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
	testEd25519Hdr = "ed01"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()

	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex in test: %v", err)
	}

	return b
}

func TestBase58KnownVectors(t *testing.T) {
	// Vectors from the Bitcoin base58 test suite and the multibase spec.
	cases := []struct{ hex, enc string }{
		{"", ""},
		{"61", "2g"},
		{"626262", "a3gV"},
		{"636363", "aPEr"},
		{"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
		{"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
		{"516b6fcd0f", "ABnLTmg"},
		{"bf4f89001e670274dd", "3SEo3LWLoPntC"},
		{"572e4794", "3EFU7m"},
		{"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
		{"10c8511e", "Rt5zm"},
		{"00000000000000000000", "1111111111"},
		{"00", "1"},
		{"0000ff", "115Q"},
	}
	for _, c := range cases {
		raw := mustHex(t, c.hex)
		if got := EncodeBase58BTC(raw); got != "z"+c.enc {
			t.Errorf("EncodeBase58BTC(%s) = %q, want %q", c.hex, got, "z"+c.enc)
		}

		back, err := DecodeBase58BTC("z" + c.enc)
		if err != nil {
			t.Fatalf("DecodeBase58BTC(%q): %v", c.enc, err)
		}
		if !bytes.Equal(back, raw) {
			t.Errorf("DecodeBase58BTC(%q) = %x, want %s", c.enc, back, c.hex)
		}
	}
}

func TestDecodeMultikeyVector(t *testing.T) {
	got, err := Decode(testMultikey)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}

	want := mustHex(t, testEd25519Hdr+testPublicHex)
	if !bytes.Equal(got, want) {
		t.Fatalf("Decode = %x, want %x", got, want)
	}

	code, rest, err := SplitCodec(got)
	if err != nil {
		t.Fatalf("SplitCodec: %v", err)
	}
	if code != CodecEd25519Pub || hex.EncodeToString(rest) != testPublicHex {
		t.Fatalf("SplitCodec = %#x %x", code, rest)
	}

	if enc := EncodeBase58BTC(PutCodec(CodecEd25519Pub, rest)); enc != testMultikey {
		t.Fatalf("re-encoded = %q, want %q", enc, testMultikey)
	}
}

func TestBase64URL(t *testing.T) {
	cases := []struct{ hex, enc string }{
		{"", "u"},
		{"66", "uZg"},
		{"666f6f626172", "uZm9vYmFy"},
		{"fbff", "u-_8"},
	}
	for _, c := range cases {
		raw := mustHex(t, c.hex)
		if got := EncodeBase64URL(raw); got != c.enc {
			t.Errorf("EncodeBase64URL(%s) = %q, want %q", c.hex, got, c.enc)
		}

		back, err := Decode(c.enc)
		if err != nil {
			t.Fatalf("Decode(%q): %v", c.enc, err)
		}
		if !bytes.Equal(back, raw) {
			t.Errorf("Decode(%q) = %x, want %s", c.enc, back, c.hex)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := map[string]string{
		"empty":              "",
		"unknown prefix":     "f00",
		"base58 zero":        "z0abc",
		"base58 capital O":   "zO",
		"base58 capital I":   "zI",
		"base58 lower l":     "zl",
		"base58 non-ascii":   "z\xff",
		"base64 padding":     "uZg==",
		"base64 std alpha":   "u+/8",
		"base64 trailing":    "uZh",
		"base64 newline":     "uZm9v\nYmFy",
		"base64 bad length":  "uZ",
		"too long base58":    "z" + strings.Repeat("2", DefaultMaxLen),
		"too long base64url": "u" + strings.Repeat("A", DefaultMaxLen),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := Decode(in); !errors.Is(err, ErrMalformed) {
				t.Fatalf("Decode(%.20q) error = %v, want ErrMalformed", in, err)
			}
		})
	}
}

func TestDecodeLimit(t *testing.T) {
	if _, err := DecodeLimit("z2g", 2); !errors.Is(err, ErrMalformed) {
		t.Fatalf("DecodeLimit over limit: %v, want ErrMalformed", err)
	}

	if _, err := DecodeLimit("z2g", 3); err != nil {
		t.Fatalf("DecodeLimit at limit: %v", err)
	}

	longest := "z" + strings.Repeat("z", DefaultMaxLen-1)
	if _, err := Decode(longest); err != nil {
		t.Fatalf("Decode at default limit: %v", err)
	}
}

func TestDecodeBase58BTCRefusesOtherPrefixes(t *testing.T) {
	for _, in := range []string{"", "uZg", "2g", "Z2g"} {
		if _, err := DecodeBase58BTC(in); !errors.Is(err, ErrMalformed) {
			t.Errorf("DecodeBase58BTC(%q) = %v, want ErrMalformed", in, err)
		}
	}
}

func TestCodecVarint(t *testing.T) {
	cases := []struct {
		code uint64
		hdr  string
	}{
		{CodecEd25519Pub, "ed01"},
		{CodecP256Pub, "8024"},
		{CodecP384Pub, "8124"},
		{0x01, "01"},
		{0x7f, "7f"},
		{0x80, "8001"},
	}
	for _, c := range cases {
		got := PutCodec(c.code, []byte{0xaa})
		if hex.EncodeToString(got) != c.hdr+"aa" {
			t.Errorf("PutCodec(%#x) = %x, want %saa", c.code, got, c.hdr)
		}

		code, rest, err := SplitCodec(got)
		if err != nil || code != c.code || !bytes.Equal(rest, []byte{0xaa}) {
			t.Errorf("SplitCodec(%x) = %#x %x %v", got, code, rest, err)
		}
	}
}

func TestSplitCodecRejects(t *testing.T) {
	cases := map[string]string{
		"empty":       "",
		"truncated":   "ed",
		"non-minimal": "ed8100",
		"padded zero": "8000",
		"too long":    "ffffffffffffffffffff01",
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			if _, _, err := SplitCodec(mustHex(t, h)); !errors.Is(err, ErrMalformed) {
				t.Fatalf("SplitCodec(%s) = %v, want ErrMalformed", h, err)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{testMultikey, "uZm9vYmFy", "z", "u", "z111", "", "zO0Il", "u-_8"} {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, s string) {
		b, err := Decode(s)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}

		// Both encodings are canonical, so a decoded value re-encodes to its input.
		var again string
		if s[0] == PrefixBase58BTC {
			again = EncodeBase58BTC(b)
		} else {
			again = EncodeBase64URL(b)
		}
		if again != s {
			t.Fatalf("round trip %q -> %x -> %q", s, b, again)
		}

		if _, _, err := SplitCodec(b); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("SplitCodec error %v is not ErrMalformed", err)
		}
	})
}
