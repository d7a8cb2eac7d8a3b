package issuer_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
)

// The types a form offers are the OB 3.0 ones the validation accepts, and
// a caller cannot change the list the validation reads.
func TestAchievementTypes(t *testing.T) {
	types := issuer.AchievementTypes()
	if !slices.Contains(types, "MicroCredential") || !slices.Contains(types, "Badge") {
		t.Fatalf("types: %v", types)
	}
	for _, typ := range types {
		in := achievementInput()
		in.AchievementType = typ
		if err := in.Validate(); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
	}
	types[0] = "Nonsense"
	if issuer.AchievementTypes()[0] == "Nonsense" {
		t.Fatal("AchievementTypes returned the package's own slice")
	}
}

// Administrators list every issuer; others are refused.
func TestIssuersList(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())
	o.people(t)
	did := "did:web:badges.district.example:issuers:north"
	if _, err := o.svc.CreateIssuer(ctx, o.admin, "north", did, issuer.Profile{Name: "North District"}); err != nil {
		t.Fatal(err)
	}

	list, err := o.svc.Issuers(o.admin)
	if err != nil || len(list) != 2 || list[0].ID != issuer.DefaultIssuerID || list[1].ID != "north" {
		t.Fatalf("issuers: %+v %v", list, err)
	}
	if _, err := o.svc.Issuers(o.teacher); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a teacher listed issuers: %v", err)
	}
}

// After a rotation the new key signs and the old one is retired; enabling
// VC-JWT on a did:web issuer adds a JWT key beside it.
func TestSigningKeys(t *testing.T) {
	ctx := context.Background()
	o := newDIDWebOffice(t)
	iss, err := o.svc.RotateKey(ctx, o.admin, issuer.DefaultIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	proofKey, jwtKey := iss.SigningKeys()
	if proofKey == nil || proofKey.VerificationMethod != iss.Keys[1].VerificationMethod || jwtKey != nil {
		t.Fatalf("after rotation: %+v %+v", proofKey, jwtKey)
	}

	if iss, err = o.svc.EnableJWT(ctx, o.admin, issuer.DefaultIssuerID); err != nil {
		t.Fatal(err)
	}
	if _, jwtKey = iss.SigningKeys(); jwtKey == nil || !jwtKey.JWT {
		t.Fatalf("after enabling VC-JWT: %+v", jwtKey)
	}
}

// A did:key issuer's document is derived from its DID and names the key
// its proofs cite; a did:web issuer's is the one Laurel publishes.
func TestResolvedDIDDocument(t *testing.T) {
	o := newOffice(t, t.TempDir())
	iss, _ := o.svc.Issuer(issuer.DefaultIssuerID)
	doc, err := o.svc.ResolvedDIDDocument(issuer.DefaultIssuerID)
	if err != nil {
		t.Fatal(err)
	}
	methods, _ := doc["verificationMethod"].([]map[string]any)
	if doc["id"] != iss.DID || len(methods) != 1 || methods[0]["id"] != iss.Keys[0].VerificationMethod {
		t.Fatalf("did:key document: %v", doc)
	}
	assertion, _ := doc["assertionMethod"].([]string)
	if !slices.Equal(assertion, []string{iss.Keys[0].VerificationMethod}) {
		t.Fatalf("assertionMethod: %v", doc["assertionMethod"])
	}

	web := newDIDWebOffice(t)
	doc, err = web.svc.ResolvedDIDDocument(issuer.DefaultIssuerID)
	if err != nil || doc["id"] != "did:web:badges.district.example" {
		t.Fatalf("did:web document: %v %v", doc, err)
	}
	if _, err := web.svc.ResolvedDIDDocument("nobody"); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("unknown issuer: %v", err)
	}
}
