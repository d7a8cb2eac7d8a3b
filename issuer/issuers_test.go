package issuer_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/issuer"
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
	o := newDIDWebOffice(t)
	svc := o.svc
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

	v, err := verifier.New(verifier.Config{Resolver: svc, StatusFetch: svc.FetchStatusList})
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
	assertValid(t, o.svc, first.Document)
}

func newDIDWebOffice(t *testing.T) *office {
	t.Helper()
	k := testkit.NewOffice(t, testkit.OfficeConfig{IssuerDID: "did:web:badges.district.example"})
	o := &office{svc: k.Service, db: k.DB, dir: k.Dir}
	o.people(t)
	return o
}

// With VC-JWT enabled, a did:web issuer signs RS256 JWTs with an RSA key
// its DID document publishes; a did:key issuer signs EdDSA JWTs.
func TestJWTIssuance(t *testing.T) {
	ctx := context.Background()
	for name, o := range map[string]*office{"did:web": newDIDWebOffice(t), "did:key": func() *office {
		o := newOffice(t, t.TempDir())
		o.people(t)
		return o
	}()} {
		t.Run(name, func(t *testing.T) {
			if _, err := o.svc.EnableJWT(ctx, o.admin, issuer.DefaultIssuerID); err != nil {
				t.Fatal(err)
			}
			a, _ := o.svc.CreateAchievement(ctx, o.admin, achievementInput())
			cred, _, err := o.svc.Award(ctx, o.admin, a.ID, issuer.Recipient{Email: "jo@district.example"})
			if err != nil {
				t.Fatal(err)
			}
			if cred.JWT == "" {
				t.Fatal("no VC-JWT issued")
			}

			v, _ := verifier.New(verifier.Config{Resolver: o.svc, StatusFetch: o.svc.FetchStatusList})
			r, err := v.Verify(ctx, []byte(cred.JWT))
			if err != nil || !r.Valid || r.Check(verifier.CheckIssuer).Outcome != verifier.Passed {
				t.Fatalf("%v %+v", err, r.Checks)
			}
			wantAlg := map[string]string{"did:web": "RS256", "did:key": "EdDSA"}[name]
			if !strings.Contains(r.Check(verifier.CheckProof).Message, wantAlg) {
				t.Fatalf("proof: %s, want %s", r.Check(verifier.CheckProof).Message, wantAlg)
			}
		})
	}
}

func TestSecondIssuerAndTeacherDID(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())
	o.people(t)

	if _, err := o.svc.CreateIssuer(ctx, o.admin, "Bad Id", "", issuer.Profile{Name: "x"}); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("bad id: %v", err)
	}
	north, err := o.svc.CreateIssuer(ctx, o.admin, "north", "", issuer.Profile{Name: "North District"})
	if err != nil {
		t.Fatal(err)
	}
	in := achievementInput()
	in.IssuerID = "north"
	a, err := o.svc.CreateAchievement(ctx, o.admin, in)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := o.svc.SetDID(ctx, o.teacher, "did:example:tom"); err != nil {
		t.Fatal(err)
	}
	cred, _, err := o.svc.Award(ctx, o.admin, a.ID, issuer.Recipient{UserID: o.teacher.ID})
	if err != nil {
		t.Fatal(err)
	}
	doc := string(cred.Document)
	if !strings.Contains(doc, north.DID) || !strings.Contains(doc, `"id":"did:example:tom"`) {
		t.Fatalf("credential does not name the second issuer and the teacher's DID:\n%s", doc)
	}
	assertValid(t, o.svc, cred.Document)
}
