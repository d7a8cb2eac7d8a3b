package status_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/internal/multibase"
	"github.com/laurel-badges/laurel/schemas"
	"github.com/laurel-badges/laurel/status"
)

func TestNewListSizes(t *testing.T) {
	for _, size := range []int{0, -8, status.MinBits - 8, status.MinBits + 1} {
		if _, err := status.NewList(size); !errors.Is(err, status.ErrListLength) {
			t.Errorf("NewList(%d): err %v, want ErrListLength", size, err)
		}
	}

	l, err := status.NewList(2 * status.MinBits)
	if err != nil || l.Len() != 2*status.MinBits {
		t.Fatalf("NewList(2*MinBits) = %v, %v", l, err)
	}
}

func TestSetGet(t *testing.T) {
	l := newList(t, 0, 7, 8, status.MinBits-1)

	for i, want := range map[int]bool{0: true, 1: false, 7: true, 8: true, 9: false, status.MinBits - 1: true} {
		if got, err := l.Get(i); err != nil || got != want {
			t.Errorf("Get(%d) = %v, %v; want %v", i, got, err, want)
		}
	}
	if err := l.Set(7, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Get(7); got {
		t.Error("bit 7 still set after clearing")
	}

	for _, i := range []int{-1, status.MinBits} {
		if _, err := l.Get(i); !errors.Is(err, status.ErrIndexRange) {
			t.Errorf("Get(%d): err %v", i, err)
		}
		if err := l.Set(i, true); !errors.Is(err, status.ErrIndexRange) {
			t.Errorf("Set(%d): err %v", i, err)
		}
	}
}

// Bit 0 is the left-most bit of the first byte (§2.2 encodedList).
func TestEncodeBitOrder(t *testing.T) {
	encoded, err := newList(t, 0, 9).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "u") {
		t.Fatalf("encodedList %q lacks the multibase base64url prefix", encoded[:8])
	}

	bits := gunzipTest(t, encoded)
	if len(bits) != status.MinBits/8 || bits[0] != 0x80 || bits[1] != 0x40 {
		t.Fatalf("%d bytes beginning % x", len(bits), bits[:2])
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	want := newList(t, 3, 4096, status.MinBits-1)
	encoded, err := want.Encode()
	if err != nil {
		t.Fatal(err)
	}

	got, err := status.DecodeList(encoded, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 3, 4096, status.MinBits - 1} {
		a, _ := want.Get(i)
		b, _ := got.Get(i)
		if a != b {
			t.Errorf("bit %d: %v after decoding, %v before", i, b, a)
		}
	}
}

// The peer's and the 1EdTech validator's lists decode, with the bits their
// index files promise.
func TestDecodeFixtureLists(t *testing.T) {
	cases := map[string][]int{
		"status-list-1.json":                             {7},
		"validator-bitstring-statuslist-credential.json": {23},
	}
	for file, set := range cases {
		doc := decode(t, readTestdata(t, file))
		encoded := doc["credentialSubject"].(map[string]any)["encodedList"].(string)
		l, err := status.DecodeList(encoded, 0)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, i := range set {
			if on, _ := l.Get(i); !on {
				t.Errorf("%s: bit %d clear", file, i)
			}
		}
		if on, _ := l.Get(3); on {
			t.Errorf("%s: bit 3 set", file)
		}
	}
}

// The caps apply before and during decompression.
func TestDecodeLimits(t *testing.T) {
	big, err := status.NewList(4 * status.MinBits)
	if err != nil {
		t.Fatal(err)
	}
	encoded, err := big.Encode()
	if err != nil {
		t.Fatal(err)
	}

	if _, err := status.DecodeList(encoded, status.MinBits/8); !errors.Is(err, status.ErrDecode) {
		t.Errorf("64 KiB list under a 16 KiB cap: err %v", err)
	}
	if _, err := status.DecodeList("u"+strings.Repeat("A", 4<<20), 0); !errors.Is(err, status.ErrDecode) {
		t.Errorf("4 MiB encoded list: err %v", err)
	}
	if _, err := status.DecodeList(encoded, 0); err != nil {
		t.Errorf("64 KiB list under the default cap: %v", err)
	}
}

func TestCredentialShape(t *testing.T) {
	from := time.Date(2025, 3, 1, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	cred, err := status.Credential(revocationURL, "did:example:district", status.PurposeRevocation, newList(t, 1), from)
	if err != nil {
		t.Fatal(err)
	}

	subject := cred["credentialSubject"].(map[string]any)
	checks := map[string]bool{
		"context":  len(cred["@context"].([]any)) == 1 && cred["@context"].([]any)[0] == schemas.ContextVC2,
		"id":       cred["id"] == revocationURL,
		"type":     cred["type"].([]any)[1] == status.TypeListCredential,
		"issuer":   cred["issuer"] == "did:example:district",
		"from":     cred["validFrom"] == "2025-03-01T11:00:00Z",
		"subject":  subject["id"] == revocationURL+"#list" && subject["type"] == status.TypeList,
		"purpose":  subject["statusPurpose"] == status.PurposeRevocation,
		"encoding": strings.HasPrefix(subject["encodedList"].(string), "u"),
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s wrong in %v", name, cred)
		}
	}
}

func TestCredentialRefusals(t *testing.T) {
	cases := []struct {
		name, url, issuer, purpose string
		list                       *status.List
	}{
		{"relative URL", "/status/1", "did:example:1", "revocation", newList(t)},
		{"no issuer", revocationURL, "", "revocation", newList(t)},
		{"message purpose", revocationURL, "did:example:1", "message", newList(t)},
		{"no list", revocationURL, "did:example:1", "revocation", nil},
	}
	for _, tc := range cases {
		if _, err := status.Credential(tc.url, tc.issuer, tc.purpose, tc.list, time.Time{}); err == nil {
			t.Errorf("%s accepted", tc.name)
		}
	}
}

func TestEntryShape(t *testing.T) {
	e := status.Entry(revocationURL, status.PurposeSuspension, 94567)
	want := map[string]any{
		"id": revocationURL + "#94567", "type": status.TypeEntry, "statusPurpose": "suspension",
		"statusListIndex": "94567", "statusListCredential": revocationURL,
	}
	for k, v := range want {
		if e[k] != v {
			t.Errorf("%s = %v, want %v", k, e[k], v)
		}
	}
}

// gunzipTest expands an encodedList with the standard library alone.
func gunzipTest(t *testing.T, encoded string) []byte {
	t.Helper()
	raw, err := multibase.DecodeLimit(encoded, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	bits, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return bits
}
