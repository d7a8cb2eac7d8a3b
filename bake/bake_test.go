package bake_test

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/bake"
)

const examples = "../../shared/spec/examples"

func read(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(examples, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The 1EdTech validator's baked images give up their credentials.
func TestUnbakeFixtures(t *testing.T) {
	for _, name := range []string{"validator-baked-json.png", "validator-baked-json.svg"} {
		got, err := bake.Unbake(read(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var doc map[string]any
		if err := json.Unmarshal(got, &doc); err != nil || doc["type"] == nil {
			t.Fatalf("%s: not a credential: %v", name, err)
		}
	}

	jwt, err := bake.Unbake(read(t, "validator-baked-jwt.svg"))
	if err != nil || strings.Count(string(jwt), ".") != 2 || strings.ContainsAny(string(jwt), " \n{") {
		t.Fatalf("JWT SVG: %q %v", jwt, err)
	}
}

// Baking then unbaking returns exactly what was baked, and baking again
// replaces the earlier credential.
func TestRoundTrip(t *testing.T) {
	json1 := []byte(`{"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "a ]]> b"}`)
	json2 := []byte(`{"name": "second"}`)
	jwt := []byte("eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6ZXhhbXBsZSJ9.c2ln")
	images := map[string][]byte{
		"png":             read(t, "validator-baked-json.png"),
		"svg":             read(t, "validator-baked-json.svg"),
		"plain svg":       []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect/></svg>`),
		"self-closed svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`),
	}
	for name, img := range images {
		for _, cred := range [][]byte{json1, jwt} {
			baked, err := bake.Bake(img, cred)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, err := bake.Unbake(baked)
			if err != nil || !bytes.Equal(got, cred) {
				t.Fatalf("%s: unbaked %q, %v; want %q", name, got, err, cred)
			}

			again, err := bake.Bake(baked, json2)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := bake.Unbake(again); !bytes.Equal(got, json2) {
				t.Fatalf("%s: rebaked %q", name, got)
			}
		}
	}
}

func TestRefusals(t *testing.T) {
	png := read(t, "validator-baked-json.png")
	broken := bytes.Clone(png)
	broken[40] ^= 0xff

	plain := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`)
	cases := map[string]struct {
		image []byte
		want  error
	}{
		"not an image":  {[]byte("GIF89a..."), bake.ErrFormat},
		"bad CRC":       {broken, bake.ErrMalformed},
		"cut short":     {png[:100], bake.ErrMalformed},
		"no credential": {plain, bake.ErrNoCredential},
		"broken XML":    {[]byte(`<svg><openbadges:credential>`), bake.ErrMalformed},
		"too large":     {make([]byte, bake.MaxImage+1), bake.ErrTooLarge},
		"zlib bomb":     {bomb(t, png), bake.ErrTooLarge},
		"empty element": {[]byte(`<svg xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential> </openbadges:credential></svg>`), bake.ErrMalformed},
	}
	for name, tc := range cases {
		start := time.Now()
		if _, err := bake.Unbake(tc.image); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
		if time.Since(start) > time.Second {
			t.Errorf("%s: took %v", name, time.Since(start))
		}
	}
}

// bomb bakes a compressed iTXt credential that inflates to 8 MiB.
func bomb(t *testing.T, png []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zeros := make([]byte, 1<<20)
	for range 8 {
		w.Write(zeros)
	}
	w.Close()

	baked, err := bake.Bake(png, []byte(`{"x":1}`))
	if err != nil {
		t.Fatal(err)
	}
	// Flip the credential chunk to compressed and put the bomb in it.
	i := bytes.Index(baked, []byte("openbadgecredential\x00\x00"))
	head := baked[:i-8]
	chunk := append([]byte("openbadgecredential\x00\x01\x00\x00\x00"), z.Bytes()...)
	var out bytes.Buffer
	out.Write(head)
	bake.WriteChunkForTest(&out, "iTXt", chunk)
	out.Write([]byte{0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82})
	return out.Bytes()
}
