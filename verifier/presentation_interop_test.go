package verifier_test

import (
	"context"
	"encoding/hex"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/verifier"
)

// TestPresentationFromAnotherImplementation verifies a VC 2.0 presentation
// with an eddsa-rdfc-2022 authentication proof that another implementation
// made (testdata/README.md), and refuses it for another exchange.
func TestPresentationFromAnotherImplementation(t *testing.T) {
	vp := testkit.ReadJSON(t, filepath.Join("testdata", "blockcerts-vp-eddsa-rdfc-2022.json"))
	p := vp["proof"].(map[string]any)
	want := verifier.PresentationOptions{Challenge: p["challenge"].(string), Domain: p["domain"].(string)}
	v := newVerifier(t)

	r := v.VerifyPresentation(context.Background(), vp, want)
	if got, code := presentationOutcome(r, verifier.CheckProof); !r.Valid || got != verifier.Passed {
		t.Fatalf("valid %v, proof %s %s; checks %+v", r.Valid, got, code, r.Checks)
	}

	replayed := v.VerifyPresentation(context.Background(), vp,
		verifier.PresentationOptions{Challenge: "another", Domain: want.Domain})
	if got, _ := presentationOutcome(replayed, verifier.CheckProof); replayed.Valid || got != verifier.Failed {
		t.Errorf("another challenge: valid %v, proof %s", replayed.Valid, got)
	}
}

// TestPresentationOfPeerCredentials presents credentials another
// implementation signed, in the presentations whose canonical form
// jsonld.js gave (canon/testdata/graphs), signed by their holder with
// Laurel: the presentation and every credential in it verify.
func TestPresentationOfPeerCredentials(t *testing.T) {
	holder := testkit.ReadJSON(t, filepath.Join(peer, "issuer.json"))
	seed, err := hex.DecodeString(holder["seedHex"].(string))
	if err != nil {
		t.Fatal(err)
	}
	key, err := keys.FromEd25519Seed(seed)
	if err != nil {
		t.Fatal(err)
	}
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	engine := proof.NewEngine(c)
	v, err := verifier.New(verifier.Config{Canonicalizer: c})
	if err != nil {
		t.Fatal(err)
	}

	for _, name := range []string{"vp-one-credential", "vp-two-credentials"} {
		t.Run(name, func(t *testing.T) {
			vp := testkit.ReadJSON(t, filepath.Join("..", "canon", "testdata", "graphs", name+".json"))
			vp["holder"] = holder["did"]
			signed, err := engine.Sign(vp, key, proof.Options{
				VerificationMethod: holder["verificationMethod"].(string),
				Purpose:            proof.PurposeAuthentication,
				Challenge:          vpChallenge,
				Domain:             vpDomain,
			})
			if err != nil {
				t.Fatal(err)
			}

			r := v.VerifyPresentation(context.Background(), signed, wantVP)
			if !r.Valid {
				t.Fatalf("report %+v", r)
			}
			if got, _ := presentationOutcome(r, verifier.CheckHolder); got != verifier.Passed {
				t.Errorf("holder %s", got)
			}
		})
	}
}
