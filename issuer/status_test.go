package issuer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/laurel-badges/laurel/canon"
	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/proof"
	"github.com/laurel-badges/laurel/status"
	"github.com/laurel-badges/laurel/store"
	"github.com/laurel-badges/laurel/verifier"
)

// bothPurposes gives office credentials a revocation and a suspension entry.
func bothPurposes(c *issuer.Config) {
	c.StatusPurposes = []string{status.PurposeRevocation, status.PurposeSuspension}
}

// awarded returns an office with people and one credential awarded to the
// teacher.
func awarded(t *testing.T, edit ...func(*issuer.Config)) (*office, *issuer.Credential) {
	t.Helper()
	ctx := context.Background()
	o := newOffice(t, t.TempDir(), edit...)
	o.people(t)
	a, err := o.svc.CreateAchievement(ctx, o.admin, achievementInput())
	if err != nil {
		t.Fatal(err)
	}
	cred, _, err := o.svc.Award(ctx, o.admin, a.ID, issuer.Recipient{UserID: o.teacher.ID})
	if err != nil {
		t.Fatal(err)
	}
	return o, cred
}

// checkStatus checks the credential's entries against the office's lists.
func checkStatus(t *testing.T, svc *issuer.Service, doc []byte) status.Status {
	t.Helper()
	c, err := status.New(status.Config{Fetch: svc.FetchStatusList, Engine: engine(t), Resolver: svc})
	if err != nil {
		t.Fatal(err)
	}
	var cred map[string]any
	if err := json.Unmarshal(doc, &cred); err != nil {
		t.Fatal(err)
	}
	got, reason := status.Summarize(c.Check(context.Background(), cred))
	t.Log(reason)
	return got
}

func TestOfficeCredentialsCarryRevocation(t *testing.T) {
	o, cred := awarded(t)
	if cred.Standing != issuer.StandingActive || len(cred.Entries) != 1 ||
		cred.Entries[0].Purpose != status.PurposeRevocation {
		t.Fatalf("status %+v", cred.CredentialStatus)
	}
	assertValid(t, o.svc, cred.Document)

	_, err := o.svc.Suspend(context.Background(), o.admin, cred.ID, "")
	if !errors.Is(err, issuer.ErrConflict) {
		t.Fatalf("suspending without a suspension entry: %v", err)
	}
}

func TestRevoke(t *testing.T) {
	ctx := context.Background()
	o, cred := awarded(t, bothPurposes)

	if _, err := o.svc.Revoke(ctx, o.admin, cred.ID, " "); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("revoking without a reason: %v", err)
	}
	if _, err := o.svc.Revoke(ctx, o.reviewer, cred.ID, "error"); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a reviewer revoking: %v", err)
	}
	if _, err := o.svc.Revoke(ctx, o.admin, "urn:uuid:nope", "error"); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("revoking an unknown credential: %v", err)
	}

	got, err := o.svc.Revoke(ctx, o.admin, cred.ID, "issued in error")
	if err != nil || got.Standing != issuer.StandingRevoked || len(got.History) != 1 ||
		got.History[0].By != o.admin.ID || got.History[0].Reason != "issued in error" {
		t.Fatalf("revoke: %+v %v", got, err)
	}
	if s := checkStatus(t, o.svc, cred.Document); s != status.Revoked {
		t.Fatalf("status %v, want revoked", s)
	}

	for _, act := range []func(context.Context, *issuer.User, string, string) (*issuer.Credential, error){
		o.svc.Reinstate, o.svc.Suspend,
	} {
		if _, err := act(ctx, o.admin, cred.ID, ""); !errors.Is(err, issuer.ErrConflict) {
			t.Fatalf("after revocation: %v, want ErrConflict", err)
		}
	}
	stored, _ := o.svc.Credential(cred.ID)
	if stored.Standing != issuer.StandingRevoked || len(stored.History) != 1 {
		t.Fatalf("stored %+v", stored.CredentialStatus)
	}
	wantAudit(t, o, "credential.revoke", "issued in error")
}

func TestSuspendThenReinstate(t *testing.T) {
	ctx := context.Background()
	o, cred := awarded(t, bothPurposes)

	if _, err := o.svc.Suspend(ctx, o.admin, cred.ID, "under review"); err != nil {
		t.Fatal(err)
	}
	if s := checkStatus(t, o.svc, cred.Document); s != status.Suspended {
		t.Fatalf("status %v, want suspended", s)
	}
	if _, err := o.svc.Suspend(ctx, o.admin, cred.ID, ""); !errors.Is(err, issuer.ErrConflict) {
		t.Fatalf("suspending twice: %v", err)
	}

	got, err := o.svc.Reinstate(ctx, o.admin, cred.ID, "cleared")
	if err != nil || got.Standing != issuer.StandingActive || len(got.History) != 2 {
		t.Fatalf("reinstate: %+v %v", got, err)
	}
	if s := checkStatus(t, o.svc, cred.Document); s != status.Active {
		t.Fatalf("status %v, want active", s)
	}
	wantAudit(t, o, "credential.reinstate", "cleared")
}

func wantAudit(t *testing.T, o *office, action, detail string) {
	t.Helper()
	recs, err := o.svc.Audits(0, 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Action == action && r.Detail == detail && r.Actor == o.admin.ID {
			return
		}
	}
	t.Fatalf("no audit record %s %q", action, detail)
}

// 200 revocations at once on one list: every bit set, none lost, and the
// published list shows them all.
func TestConcurrentRevocations(t *testing.T) {
	const n = 200
	ctx := context.Background()
	o := newOffice(t, t.TempDir())

	ids := make([]string, n)
	entries := make([]issuer.StatusEntry, n)
	parallel(t, n, func(i int) error {
		e, err := o.svc.ReserveStatus(issuer.DefaultIssuerID, status.PurposeRevocation)
		if err != nil {
			return err
		}
		ids[i], entries[i] = fmt.Sprintf("urn:example:%d", i), e[0]
		return o.svc.RecordIssuedStatus(ctx, "client", ids[i], issuer.DefaultIssuerID, e)
	})

	parallel(t, n, func(i int) error {
		_, err := o.svc.SetIssuedStatus(ctx, "client", ids[i], status.PurposeRevocation, true)
		return err
	})

	doc, version, err := o.svc.StatusList(ctx, entries[0].List)
	if err != nil || version != n {
		t.Fatalf("list version %d, want %d: %v", version, n, err)
	}
	list := decodeList(t, doc)
	set := 0
	for i := range list.Len() {
		if bit, _ := list.Get(i); bit {
			set++
		}
	}
	for _, e := range entries {
		if e.List != entries[0].List {
			t.Fatalf("entries in two lists: %s and %s", e.List, entries[0].List)
		}
		if bit, _ := list.Get(e.Index); !bit {
			t.Fatalf("bit %d lost", e.Index)
		}
	}
	if set != n {
		t.Fatalf("%d bits set, want %d", set, n)
	}
}

// A VC API credential: setting the bit twice is fine, clearing a
// revocation is not.
func TestIssuedStatus(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, t.TempDir())
	e, err := o.svc.ReserveStatus(issuer.DefaultIssuerID, status.PurposeRevocation)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.svc.RecordIssuedStatus(ctx, "client", "urn:example:1", issuer.DefaultIssuerID, e); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SetIssuedStatus(ctx, "client", "urn:example:1", status.PurposeRevocation, false); err != nil {
		t.Fatalf("clearing a clear bit: %v", err)
	}
	for range 2 {
		rec, err := o.svc.SetIssuedStatus(ctx, "client", "urn:example:1", status.PurposeRevocation, true)
		if err != nil || rec.Standing != issuer.StandingRevoked || len(rec.History) != 1 {
			t.Fatalf("revoke: %+v %v", rec, err)
		}
	}
	_, err = o.svc.SetIssuedStatus(ctx, "client", "urn:example:1", status.PurposeRevocation, false)
	if !errors.Is(err, issuer.ErrConflict) {
		t.Fatalf("clearing a revocation: %v", err)
	}
	if _, err := o.svc.SetIssuedStatus(ctx, "client", "urn:example:2", "revocation", true); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("unknown credential: %v", err)
	}
	if _, err := o.svc.SetIssuedStatus(ctx, "client", "urn:example:1", "message", true); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("message purpose: %v", err)
	}
}

// A list opens at 131,072 entries, and the next opens when it is 90% full.
func TestListsFillAndRoll(t *testing.T) {
	o := newOffice(t, t.TempDir())
	e, err := o.svc.ReserveStatus(issuer.DefaultIssuerID, status.PurposeRevocation)
	if err != nil {
		t.Fatal(err)
	}
	if e[0].List != "default/revocation/1" {
		t.Fatalf("first list %s", e[0].List)
	}
	fillList(t, o.db, e[0].List)

	next, err := o.svc.ReserveStatus(issuer.DefaultIssuerID, status.PurposeRevocation)
	if err != nil || next[0].List != "default/revocation/2" {
		t.Fatalf("after a full list: %+v %v", next, err)
	}
	doc, _, err := o.svc.StatusList(context.Background(), next[0].List)
	if err != nil || decodeList(t, doc).Len() != status.MinBits {
		t.Fatalf("second list: %v", err)
	}
}

// fillList marks 90% of a list handed out, as 117,965 issues would.
func fillList(t *testing.T, db *store.DB, name string) {
	t.Helper()
	err := db.Update(func(tx *store.Tx) error {
		var l map[string]any
		if err := tx.Get(store.StatusLists, "list/"+name, &l); err != nil {
			return err
		}
		l["count"] = status.MinBits * 9 / 10
		return tx.Put(store.StatusLists, "list/"+name, l)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// decodeList reads the bits of a signed list credential.
func decodeList(t *testing.T, doc []byte) *status.List {
	t.Helper()
	var cred struct {
		CredentialSubject struct {
			EncodedList string `json:"encodedList"`
		} `json:"credentialSubject"`
	}
	if err := json.Unmarshal(doc, &cred); err != nil {
		t.Fatal(err)
	}
	l, err := status.DecodeList(cred.CredentialSubject.EncodedList, 0)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// parallel runs fn(0..n-1) at once and fails on the first error.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- fn(i)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// The published list verifies as a credential of the office's issuer.
func TestStatusListVerifies(t *testing.T) {
	o, cred := awarded(t)
	doc, _, err := o.svc.StatusList(context.Background(), cred.Entries[0].List)
	if err != nil {
		t.Fatal(err)
	}
	v, err := verifier.New(verifier.Config{Resolver: o.svc})
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Verify(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{verifier.CheckProof, verifier.CheckIssuer} {
		if c := r.Check(name); c.Outcome != verifier.Passed {
			t.Errorf("%s: %+v", name, c)
		}
	}
}

// engine returns a proof engine over the pinned contexts.
func engine(t *testing.T) *proof.Engine {
	t.Helper()
	c, err := canon.New(canon.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return proof.NewEngine(c)
}
