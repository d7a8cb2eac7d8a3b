package issuer_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/laurel-badges/laurel/internal/testkit"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/store"
	"github.com/laurel-badges/laurel/verifier"
)

// office is a badge office on a real data file in a temporary folder.
type office struct {
	svc      *issuer.Service
	db       *store.DB
	dir      string
	admin    *issuer.User
	reviewer *issuer.User
	teacher  *issuer.User
}

// newOffice opens an office in dir; edit, when given, adjusts its Config.
func newOffice(t testing.TB, dir string, edit ...func(*issuer.Config)) *office {
	t.Helper()
	k := testkit.NewOffice(t, testkit.OfficeConfig{Dir: dir, Configure: func(c *issuer.Config) {
		for _, e := range edit {
			e(c)
		}
	}})
	return &office{svc: k.Service, db: k.DB, dir: k.Dir}
}

func (o *office) people(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	var err error
	if o.admin, _, err = o.svc.AddUser(ctx, "Ada Admin", "ada@district.example", issuer.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if o.reviewer, _, err = o.svc.AddUser(ctx, "Rita Reviewer", "rita@district.example", issuer.RoleReviewer); err != nil {
		t.Fatal(err)
	}
	if o.teacher, _, err = o.svc.AddUser(ctx, "Tom Teacher", "tom@district.example", issuer.RoleEarner); err != nil {
		t.Fatal(err)
	}
}

func achievementInput() issuer.AchievementInput {
	return issuer.AchievementInput{
		Name:             "Formative Assessment in Practice",
		Description:      "Uses formative assessment to adjust instruction.",
		Criteria:         issuer.Criteria{Narrative: "Two lesson plans with student work and a reflection."},
		AchievementType:  "MicroCredential",
		CreditsAvailable: 10,
		Alignments: []issuer.Alignment{{TargetName: "InTASC 6", TargetURL: "https://ccsso.org/intasc",
			TargetFramework: "InTASC", TargetCode: "6"}},
		Rubric:           []issuer.RubricLevel{{ID: "meets", Name: "Meets"}, {ID: "exceeds", Name: "Exceeds"}},
		RequiredEvidence: []string{issuer.EvidenceNarrative},
	}
}

func TestReviewAndIssue(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())
	o.people(t)

	a, err := o.svc.CreateAchievement(ctx, o.admin, achievementInput())
	if err != nil {
		t.Fatal(err)
	}
	evidence := []issuer.Evidence{
		{Name: "Reflection", Narrative: "What changed in my teaching.", Public: true},
		{Name: "Private notes", Narrative: "PRIVATE-NOTE-7731 about a student", Public: false},
	}
	sub, err := o.svc.Submit(ctx, o.teacher, a.ID, evidence)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := o.svc.Return(ctx, o.reviewer, sub.ID, "Please add student work."); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Approve(ctx, o.reviewer, sub.ID, issuer.ApproveInput{}); !errors.Is(err, issuer.ErrConflict) {
		t.Fatalf("approving a returned submission: %v", err)
	}
	if _, err := o.svc.Resubmit(ctx, o.teacher, sub.ID, evidence); err != nil {
		t.Fatal(err)
	}

	cred, err := o.svc.Approve(ctx, o.reviewer, sub.ID, issuer.ApproveInput{RubricLevel: "exceeds", Comment: "Great"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := o.svc.Approve(ctx, o.reviewer, sub.ID, issuer.ApproveInput{})
	if err != nil || again.ID != cred.ID {
		t.Fatalf("second approval: %v %v", again, err)
	}

	if strings.Contains(string(cred.Document), "PRIVATE-NOTE-7731") {
		t.Fatal("private evidence entered the credential")
	}
	assertValid(t, o.svc, cred.Document)

	got, err := o.svc.Submission(o.teacher, sub.ID)
	if err != nil || got.State != issuer.StateApproved || len(got.History) != 4 {
		t.Fatalf("submission after approval: %+v %v", got, err)
	}
}

// assertValid verifies doc, reading status lists from svc.
func assertValid(t *testing.T, svc *issuer.Service, doc []byte) {
	t.Helper()
	v, err := verifier.New(verifier.Config{Resolver: svc, StatusFetch: svc.FetchStatusList})
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Verify(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Valid {
		t.Fatalf("issued credential not valid: %+v", r.Checks)
	}
	for _, name := range []string{verifier.CheckSchema, verifier.CheckProof, verifier.CheckIssuer, verifier.CheckStatus} {
		if c := r.Check(name); c.Outcome != verifier.Passed {
			t.Errorf("%s: %+v", name, c)
		}
	}
}

func TestRolesAreEnforced(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())
	o.people(t)

	if _, err := o.svc.CreateAchievement(ctx, o.teacher, achievementInput()); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("teacher created an achievement: %v", err)
	}
	a, err := o.svc.CreateAchievement(ctx, o.admin, achievementInput())
	if err != nil {
		t.Fatal(err)
	}
	sub, err := o.svc.Submit(ctx, o.teacher, a.ID, []issuer.Evidence{{Narrative: "done"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Approve(ctx, o.teacher, sub.ID, issuer.ApproveInput{}); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("teacher approved their own work: %v", err)
	}

	audits, err := o.svc.Audits(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	denied := 0
	for _, rec := range audits {
		if strings.HasPrefix(rec.Action, "denied.") {
			denied++
		}
	}
	if denied != 2 {
		t.Fatalf("%d denied attempts audited, want 2", denied)
	}
}

func TestValidation(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())
	o.people(t)

	bad := achievementInput()
	bad.Name = ""
	if _, err := o.svc.CreateAchievement(ctx, o.admin, bad); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("nameless achievement: %v", err)
	}
	bad = achievementInput()
	bad.Rubric = []issuer.RubricLevel{{ID: "meets the standard", Name: "Meets"}}
	if _, err := o.svc.CreateAchievement(ctx, o.admin, bad); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("rubric id with spaces: %v", err)
	}
	a, _ := o.svc.CreateAchievement(ctx, o.admin, achievementInput())
	if _, err := o.svc.Submit(ctx, o.teacher, a.ID, []issuer.Evidence{{URL: "https://x.example/doc"}}); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("missing required narrative: %v", err)
	}
	if err := o.svc.SetAchievementImage(ctx, o.admin, a.ID, "image/svg+xml",
		[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("scripted SVG accepted: %v", err)
	}
	if err := o.svc.SetAchievementImage(ctx, o.admin, a.ID, "image/png", []byte("GIF89a")); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("non-PNG accepted: %v", err)
	}
}

// Everything survives a restart of the office on the same data folder.
func TestRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := newOffice(t, dir)
	o.people(t)
	a, _ := o.svc.CreateAchievement(ctx, o.admin, achievementInput())
	sub, _ := o.svc.Submit(ctx, o.teacher, a.ID, []issuer.Evidence{{Narrative: "done"}})
	cred, err := o.svc.Approve(ctx, o.reviewer, sub.ID, issuer.ApproveInput{})
	if err != nil {
		t.Fatal(err)
	}
	iss, _ := o.svc.Issuer(issuer.DefaultIssuerID)
	o.db.Close()

	o2 := newOffice(t, dir)
	iss2, _ := o2.svc.Issuer(issuer.DefaultIssuerID)
	if iss2.DID != iss.DID {
		t.Fatalf("issuer changed across restart: %s -> %s", iss.DID, iss2.DID)
	}
	got, err := o2.svc.Credential(cred.ID)
	if err != nil || string(got.Document) != string(cred.Document) {
		t.Fatalf("credential after restart: %v", err)
	}

	sub2, _ := o2.svc.Submit(ctx, o.teacher, a.ID, []issuer.Evidence{{Narrative: "again"}})
	cred2, err := o2.svc.Approve(ctx, o.reviewer, sub2.ID, issuer.ApproveInput{})
	if err != nil {
		t.Fatal(err)
	}
	assertValid(t, o2.svc, cred2.Document)
}

// 100 concurrent approvals of distinct submissions and 20 of the same one:
// one credential each, none twice.
func TestConcurrentApprovals(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())
	o.people(t)
	a, _ := o.svc.CreateAchievement(ctx, o.admin, achievementInput())

	subs := make([]*issuer.Submission, 100)
	for i := range subs {
		var err error
		if subs[i], err = o.svc.Submit(ctx, o.teacher, a.ID, []issuer.Evidence{{Narrative: "work"}}); err != nil {
			t.Fatal(err)
		}
	}

	ids := make([]string, 100+20)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			sub := subs[0]
			if i < 100 {
				sub = subs[i]
			}
			cred, err := o.svc.Approve(ctx, o.reviewer, sub.ID, issuer.ApproveInput{})
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = cred.ID
		})
	}
	wg.Wait()

	distinct := map[string]bool{}
	for i, id := range ids {
		distinct[id] = true
		if i >= 100 && id != ids[0] {
			t.Fatalf("same submission got two credentials: %s and %s", ids[0], id)
		}
	}
	if len(distinct) != 100 {
		t.Fatalf("%d distinct credentials, want 100", len(distinct))
	}

	queue, _ := o.svc.Queue(o.reviewer, 1000)
	if len(queue) != 0 {
		t.Fatalf("%d submissions still queued", len(queue))
	}
}
