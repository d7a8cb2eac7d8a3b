package verifier_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/bake"
	"github.com/laurel-badges/laurel/verifier"
)

const (
	peer     = "../../shared/fixtures/peer-eddsa"
	examples = "../../shared/spec/examples"
)

func newVerifier(t testing.TB) *verifier.Verifier {
	t.Helper()
	v, err := verifier.New(verifier.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func verifyFile(t testing.TB, v *verifier.Verifier, path string) *verifier.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Verify(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func outcome(r *verifier.Report, name string) verifier.Outcome {
	if c := r.Check(name); c != nil {
		return c.Outcome
	}
	return ""
}

func TestPeerCredentialsValid(t *testing.T) {
	v := newVerifier(t)
	files, _ := filepath.Glob(filepath.Join(peer, "cred-*.json"))
	if len(files) != 10 {
		t.Fatalf("found %d peer credentials, want 10", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r := verifyFile(t, v, f)
			if !r.Valid {
				t.Fatalf("not valid: %+v", r.Checks)
			}
			for _, name := range []string{verifier.CheckStructure, verifier.CheckContexts, verifier.CheckSchema,
				verifier.CheckProof, verifier.CheckIssuer, verifier.CheckDates} {
				if got := outcome(r, name); got != verifier.Passed {
					t.Errorf("%s: %s (%+v)", name, got, r.Check(name))
				}
			}
		})
	}
}

// Each broken peer credential fails, and fails at the check its note names.
func TestPeerBadCredentials(t *testing.T) {
	cases := map[string]struct{ check, code string }{
		"tampered-achievement-name.json":    {verifier.CheckProof, "proof.signature"},
		"tampered-subject-id.json":          {verifier.CheckProof, "proof.signature"},
		"tampered-issuer-name.json":         {verifier.CheckProof, "proof.signature"},
		"wrong-key-verificationmethod.json": {verifier.CheckProof, "proof.signature"},
		"signed-by-other-key.json":          {verifier.CheckIssuer, "issuer.mismatch"},
		"proof-removed.json":                {verifier.CheckProof, "proof.missing"},
		"context-ob-removed.json":           {verifier.CheckContexts, "contexts.unsafe"},
		"context-ob-version-changed.json":   {verifier.CheckContexts, "contexts.unsafe"},
		"context-unknown.json":              {verifier.CheckContexts, "contexts.unknown"},
		"expired.json":                      {verifier.CheckDates, "dates.expired"},
		"not-yet-valid.json":                {verifier.CheckDates, "dates.not_yet_valid"},
		"proofvalue-malformed.json":         {verifier.CheckProof, "proof.malformed"},
		"proofvalue-truncated.json":         {verifier.CheckProof, "proof.signature"},
		"proofvalue-bitflip.json":           {verifier.CheckProof, "proof.signature"},
		"proof-created-changed.json":        {verifier.CheckProof, "proof.signature"},
		// eddsa-jcs-2022: a suite Laurel knows, under which the RDFC
		// signature does not verify.
		"cryptosuite-changed.json": {verifier.CheckProof, "proof.signature"},
	}

	files, _ := filepath.Glob(filepath.Join(peer, "bad", "*.json"))
	if len(files) != len(cases) {
		t.Fatalf("found %d bad fixtures, the test knows %d", len(files), len(cases))
	}

	v := newVerifier(t)
	for _, f := range files {
		name := filepath.Base(f)
		want := cases[name]
		t.Run(name, func(t *testing.T) {
			r := verifyFile(t, v, f)
			if r.Valid {
				t.Fatal("reported valid")
			}
			c := r.Check(want.check)
			if c == nil || c.Outcome != verifier.Failed || c.Code != want.code {
				t.Fatalf("%s check: %+v, want failed with %s; report %+v", want.check, c, want.code, r.Checks)
			}
		})
	}
}

// The 1EdTech validator's signed fixtures verify, legacy suites included.
// Their keys sit in the verification method's fragment, which nothing the
// issuer publishes confirms, so the issuer check warns instead of passing.
func TestValidatorFixtures(t *testing.T) {
	v := newVerifier(t)
	for _, name := range []string{
		"testvector-ob-eddsa-rdfc-2022-signed.json",
		"validator-simple-eddsa-rdfc-2022.json",
		"validator-simple-didkey-eddsa-rdfc-2022.json",
		"validator-endorsement-eddsa-rdfc-2022.json",
		"validator-simple-vc11-eddsa-2022.json",
		"validator-simple-vc11-ed25519signature2020.json",
	} {
		t.Run(name, func(t *testing.T) {
			r := verifyFile(t, v, filepath.Join(examples, name))
			if !r.Valid {
				t.Fatalf("not valid: %+v", r.Checks)
			}
			if got := outcome(r, verifier.CheckProof); got != verifier.Passed {
				t.Fatalf("proof: %s", got)
			}
			if got := outcome(r, verifier.CheckIssuer); got != verifier.Warning {
				t.Fatalf("issuer: %s, want warning", got)
			}
		})
	}
}

func TestNotACredential(t *testing.T) {
	v := newVerifier(t)
	for _, in := range []string{"", "hello", "[1,2]", "{bad json", "a.b"} {
		if _, err := v.Verify(context.Background(), []byte(in)); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// Baked images are unbaked and their credentials verified: the 1EdTech
// validator's PNG and SVG, and a peer credential baked by Laurel.
func TestBakedImages(t *testing.T) {
	v := newVerifier(t)
	for _, name := range []string{"validator-baked-json.png", "validator-baked-json.svg", "validator-baked-jwt.svg"} {
		data, err := os.ReadFile(filepath.Join(examples, name))
		if err != nil {
			t.Fatal(err)
		}
		r, err := v.Verify(context.Background(), data)
		if err != nil || r.Baked == "" || r.Credential == nil {
			t.Fatalf("%s: %v %+v", name, err, r)
		}
	}

	png, _ := os.ReadFile(filepath.Join(examples, "validator-baked-json.png"))
	cred, _ := os.ReadFile(filepath.Join(peer, "cred-001.json"))
	baked, err := bake.Bake(png, cred)
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Verify(context.Background(), baked)
	if err != nil || !r.Valid || r.Baked != "png" {
		t.Fatalf("baked peer credential: %v %+v", err, r)
	}

	if _, err := v.Verify(context.Background(), []byte("<svg><rect/></svg>")); !errors.Is(err, verifier.ErrInput) {
		t.Fatalf("image without a credential: %v", err)
	}
}
