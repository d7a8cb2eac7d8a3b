package issuer_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/store"
	"github.com/laurel-badges/laurel/verifier"
)

func TestClientCredentials(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())

	c, secret, err := o.svc.AddClient(ctx, "conformance harness")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.svc.ClientToken(ctx, c.ID, secret+"x"); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("wrong secret: %v", err)
	}
	token, ttl, err := o.svc.ClientToken(ctx, c.ID, secret)
	if err != nil || ttl <= 0 {
		t.Fatal(err)
	}

	u, err := o.svc.Authenticate(token)
	if err != nil || u.Role != issuer.RoleClient {
		t.Fatalf("access token: %+v %v", u, err)
	}
	if _, err := o.svc.Authenticate(secret); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("client secret accepted as a token: %v", err)
	}
	if _, err := o.svc.Authenticate("lrl_" + "nonsense"); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("made-up token: %v", err)
	}
}

// A did:web issuer rotates its key; credentials signed before and after
// both verify against its published keys.
func TestDIDWebRotation(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "laurel.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, _ := canon.New(canon.Config{})
	svc, err := issuer.NewService(issuer.Config{DB: db, Engine: proof.NewEngine(c),
		KeyDir: filepath.Join(dir, "keys"), PublicURL: "https://badges.district.example"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.EnsureIssuer(ctx, "did:web:badges.district.example", issuer.Profile{Name: "District"}); err != nil {
		t.Fatal(err)
	}
	o := &office{svc: svc, db: db, dir: dir}
	o.people(t)
	a, _ := svc.CreateAchievement(ctx, o.admin, achievementInput())

	award := func(email string) []byte {
		cred, _, err := svc.Award(ctx, o.admin, a.ID, issuer.Recipient{Email: email})
		if err != nil {
			t.Fatal(err)
		}
		return cred.Document
	}
	before := award("one@district.example")
	if _, err := svc.RotateKey(ctx, o.admin, issuer.DefaultIssuerID); err != nil {
		t.Fatal(err)
	}
	after := award("two@district.example")

	v, err := verifier.New(verifier.Config{Resolver: svc})
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range [][]byte{before, after} {
		r, err := v.Verify(ctx, doc)
		if err != nil || !r.Valid || r.Check(verifier.CheckIssuer).Outcome != verifier.Passed {
			t.Fatalf("%v %+v", err, r.Checks)
		}
	}

	doc, err := svc.DIDDocument(issuer.DefaultIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	if vms, _ := doc["verificationMethod"].([]map[string]any); len(vms) != 4 {
		t.Fatalf("DID document lists %d methods, want both keys in both forms", len(vms))
	}
}

func TestAwardIsIdempotent(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())
	o.people(t)
	a, _ := o.svc.CreateAchievement(ctx, o.admin, achievementInput())

	first, issued, err := o.svc.Award(ctx, o.admin, a.ID, issuer.Recipient{Email: "Pat@District.example", Name: "Pat"})
	if err != nil || !issued {
		t.Fatal(err)
	}
	again, issued, err := o.svc.Award(ctx, o.admin, a.ID, issuer.Recipient{Email: "pat@district.example"})
	if err != nil || issued || again.ID != first.ID {
		t.Fatalf("second award: issued=%v %v", issued, err)
	}
	assertValid(t, first.Document)
}
