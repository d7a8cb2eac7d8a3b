package verifier_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/keys"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/verifier"
)

// Embedded endorsements are verified; one that does not verify is a
// warning, not a reason to reject the badge itself.
func TestEmbeddedEndorsements(t *testing.T) {
	endorsement := testkit.ReadJSON(t, filepath.Join(examples, "validator-endorsement-eddsa-rdfc-2022.json"))
	tampered := testkit.ReadJSON(t, filepath.Join(examples, "validator-endorsement-eddsa-rdfc-2022.json"))
	tampered["name"] = "changed after signing"

	key, err := keys.Generate(keys.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := canon.New(canon.Config{})
	signer, err := issuer.NewSigner(issuer.SignerConfig{Engine: proof.NewEngine(c), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	v := newVerifier(t)

	for _, tc := range []struct {
		name    string
		embed   map[string]any
		outcome verifier.Outcome
	}{
		{"valid endorsement", endorsement, verifier.Passed},
		{"tampered endorsement", tampered, verifier.Warning},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cred := testkit.ReadJSON(t, filepath.Join(peer, "unsigned", "cred-001.json"))
			delete(cred, "issuer")
			cred["endorsement"] = []any{tc.embed}
			signed, err := signer.Sign(cred, issuer.SignOptions{})
			if err != nil {
				t.Fatal(err)
			}

			r, err := v.Verify(context.Background(), signed)
			if err != nil {
				t.Fatal(err)
			}
			c := r.Check(verifier.CheckEndorsements)
			if c == nil || c.Outcome != tc.outcome || !r.Valid {
				t.Fatalf("endorsements %+v, valid %v; checks %+v", c, r.Valid, r.Checks)
			}
		})
	}
}
