package bake_test

import (
	"bytes"
	"testing"

	"github.com/laurel-badges/laurel/bake"
)

// FuzzUnbake feeds damaged images to Unbake: it must return a credential
// or an error, never panic; and whatever it unbakes bakes back the same.
func FuzzUnbake(f *testing.F) {
	for _, name := range []string{"validator-baked-json.png", "validator-baked-json.svg", "validator-baked-jwt.svg"} {
		f.Add(read(f, name))
	}
	f.Add([]byte(`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential verify="a.b.c"/></svg>`))

	f.Fuzz(func(t *testing.T, image []byte) {
		cred, err := bake.Unbake(image)
		if err != nil {
			return
		}
		baked, err := bake.Bake(image, cred)
		if err != nil {
			return
		}
		if again, err := bake.Unbake(baked); err != nil || !bytes.Equal(bytes.TrimSpace(again), bytes.TrimSpace(cred)) {
			t.Fatalf("rebaked %q, %v; want %q", again, err, cred)
		}
	})
}
