package issuer_test

import (
	"context"
	"errors"
	"testing"

	"github.com/laurel-badges/laurel/issuer"
)

// seqs lists a page's sequence numbers.
func seqs(p *issuer.AuditPage) []uint64 {
	var out []uint64
	for _, e := range p.Entries {
		out = append(out, e.Seq)
	}
	return out
}

func TestRecentAuditsPages(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	for range 30 {
		if _, err := o.svc.SetRole(ctx, o.admin, o.teacher.ID, issuer.RoleEarner); err != nil {
			t.Fatal(err)
		}
	}
	all, err := o.svc.Audits(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	total := uint64(len(all))

	first, err := o.svc.RecentAudits(o.admin, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := seqs(first); len(got) != 10 || got[0] != total || got[9] != total-9 {
		t.Fatalf("the newest page holds %v of %d", got, total)
	}
	if first.HasNewer || first.Older != total-9 {
		t.Fatalf("the newest page links: %+v", first)
	}
	e := first.Entries[0]
	if e.Action != "user.role" || e.ActorName != "Ada Admin" || e.TargetName != "Tom Teacher" || e.Detail != "earner" {
		t.Fatalf("newest entry: %+v", e)
	}

	second, err := o.svc.RecentAudits(o.admin, first.Older, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := seqs(second); got[0] != total-10 || !second.HasNewer || second.Newer != 0 {
		t.Fatalf("the second page: %v, newer %v %d", got, second.HasNewer, second.Newer)
	}

	third, err := o.svc.RecentAudits(o.admin, second.Older, 10)
	if err != nil {
		t.Fatal(err)
	}
	if !third.HasNewer || third.Newer != first.Older || third.Older == 0 {
		t.Fatalf("the third page links: %+v", third)
	}

	last, err := o.svc.RecentAudits(o.admin, third.Older, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := seqs(last)
	if last.Older != 0 || last.Newer != second.Older || got[len(got)-1] != 1 {
		t.Fatalf("the last page: %v, links %+v", got, last)
	}
	if oldest := last.Entries[len(got)-1]; oldest.Actor != "system" || oldest.ActorName != "" {
		t.Fatalf("the oldest record: %+v", oldest)
	}
}

func TestRecentAuditsNeedsAnAdministrator(t *testing.T) {
	o, _ := clockedOffice(t)
	if _, err := o.svc.RecentAudits(o.reviewer, 0, 10); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a reviewer read the audit record: %v", err)
	}
	page, err := o.svc.RecentAudits(o.admin, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	e := page.Entries[0]
	if e.Action != "denied.audit.read" || e.Actor != o.reviewer.ID || e.ActorName != "Rita Reviewer" {
		t.Fatalf("the refusal is not the newest record: %+v", e)
	}
	if past, err := o.svc.RecentAudits(o.admin, 1, 10); err != nil || len(past.Entries) != 0 || !past.HasNewer {
		t.Fatalf("before the first record: %+v %v", past, err)
	}
}
