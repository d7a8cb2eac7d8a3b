package examples_test

import (
	"context"
	"testing"

	"github.com/laurel-badges/laurel/examples"
	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/verifier"
)

// The sample district loads into a new office, and its teacher can earn
// its first badge end to end.
func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	svc := testkit.NewOffice(t, testkit.OfficeConfig{}).Service

	demo, err := examples.LoadDemo(ctx, svc)
	if err != nil {
		t.Fatal(err)
	}
	if len(demo.People) != 3 || len(demo.Achievements) != 3 {
		t.Fatalf("demo has %d people and %d achievements", len(demo.People), len(demo.Achievements))
	}

	reviewer, teacher := demo.People[1].User, demo.People[2].User
	sub, err := svc.Submit(ctx, teacher, demo.Achievements[0].ID, []issuer.Evidence{{Narrative: "My reflection", Public: true}})
	if err != nil {
		t.Fatal(err)
	}
	cred, err := svc.Approve(ctx, reviewer, sub.ID, issuer.ApproveInput{RubricLevel: "meets"})
	if err != nil {
		t.Fatal(err)
	}

	v, _ := verifier.New(verifier.Config{StatusFetch: svc.FetchStatusList})
	r, err := v.Verify(ctx, cred.Document)
	if err != nil || !r.Valid || r.IssuerName != "Maple Valley School District" {
		t.Fatalf("%v %s %+v", err, r.IssuerName, r.Checks)
	}
}
