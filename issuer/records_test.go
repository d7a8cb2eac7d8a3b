package issuer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/issuer"
)

// ledger is an office with six credentials issued around the turn of a
// school year (1 July 2025): one revoked, one suspended.
type ledger struct {
	*office
	clk      *testClock
	long     *issuer.Achievement // 10 hours, valid for 30 days
	short    *issuer.Achievement // 2.5 hours
	byName   map[string]*issuer.Credential
	amy, zoe string // earner ids
}

func day(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, time.UTC)
}

func newLedger(t *testing.T) *ledger {
	t.Helper()
	o, clk := clockedOffice(t, bothPurposes)
	l := &ledger{office: o, clk: clk, byName: map[string]*issuer.Credential{}}
	l.long = l.achievement(t, "Coaching Cycles", 10, 30)
	l.short = l.achievement(t, "Reading Workshop", 2.5, 0)

	tom := issuer.Recipient{UserID: o.teacher.ID}
	zoe := issuer.Recipient{Name: "Zoe Zimmer", Email: "zoe@district.example"}
	amy := issuer.Recipient{Name: "Amy Adams", Email: "amy@district.example"}
	l.award(t, "tom-long", day(2025, 6, 30, 23, 59, 59), l.long, tom)
	l.award(t, "tom-short", day(2025, 7, 1, 0, 0, 0), l.short, tom)
	l.award(t, "zoe-long", day(2025, 9, 10, 9, 0, 0), l.long, zoe)
	l.award(t, "zoe-short", day(2025, 10, 1, 9, 0, 0), l.short, zoe)
	l.award(t, "amy-long", day(2026, 1, 15, 9, 0, 0), l.long, amy)
	l.award(t, "amy-short", day(2026, 2, 1, 9, 0, 0), l.short, amy)
	l.zoe, l.amy = l.byName["zoe-long"].EarnerID, l.byName["amy-long"].EarnerID

	ctx := context.Background()
	if _, err := o.svc.Suspend(ctx, o.admin, l.byName["zoe-short"].ID, "under review"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Revoke(ctx, o.admin, l.byName["amy-long"].ID, "evidence was copied"); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *ledger) achievement(t *testing.T, name string, hours float64, validDays int) *issuer.Achievement {
	t.Helper()
	in := achievementInput()
	in.Name, in.CreditsAvailable, in.ValidDays = name, hours, validDays
	a, err := l.svc.CreateAchievement(context.Background(), l.admin, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (l *ledger) award(t *testing.T, name string, at time.Time, a *issuer.Achievement, to issuer.Recipient) {
	t.Helper()
	l.clk.set(at)
	c, _, err := l.svc.Award(context.Background(), l.admin, a.ID, to)
	if err != nil {
		t.Fatal(err)
	}
	l.byName[name] = c
}

// names returns the ledger's names of creds, in order.
func (l *ledger) names(creds []issuer.CredentialSummary) string {
	var out []string
	for _, c := range creds {
		for name, cred := range l.byName {
			if cred.ID == c.ID {
				out = append(out, name)
			}
		}
	}
	return strings.Join(out, " ")
}

func TestFindCredentials(t *testing.T) {
	l := newLedger(t)
	uuid := strings.TrimPrefix(l.byName["zoe-long"].ID, "urn:uuid:")
	cases := []struct {
		name string
		q    issuer.CredentialQuery
		want string
	}{
		{"all, newest first", issuer.CredentialQuery{},
			"amy-short amy-long zoe-short zoe-long tom-short tom-long"},
		{"earner name, any case", issuer.CredentialQuery{Text: " ZIMMER "}, "zoe-short zoe-long"},
		{"earner email", issuer.CredentialQuery{Text: "tom@district"}, "tom-short tom-long"},
		{"achievement name", issuer.CredentialQuery{Text: "reading"}, "amy-short zoe-short tom-short"},
		{"credential id", issuer.CredentialQuery{Text: uuid[:13]}, "zoe-long"},
		{"no match", issuer.CredentialQuery{Text: "nobody"}, ""},
		{"achievement", issuer.CredentialQuery{AchievementID: l.long.ID}, "amy-long zoe-long tom-long"},
		{"earner", issuer.CredentialQuery{EarnerID: l.teacher.ID}, "tom-short tom-long"},
		{"revoked", issuer.CredentialQuery{Standing: issuer.StandingRevoked}, "amy-long"},
		{"suspended", issuer.CredentialQuery{Standing: issuer.StandingSuspended}, "zoe-short"},
		{"active", issuer.CredentialQuery{Standing: issuer.StandingActive},
			"amy-short zoe-long tom-short tom-long"},
		{"from inclusive, to exclusive", issuer.CredentialQuery{From: day(2025, 7, 1, 0, 0, 0),
			To: day(2025, 10, 1, 9, 0, 0)}, "zoe-long tom-short"},
		{"filters combine", issuer.CredentialQuery{Text: "zoe", AchievementID: l.short.ID,
			Standing: issuer.StandingActive}, ""},
		{"limit keeps the newest", issuer.CredentialQuery{Limit: 2}, "amy-short amy-long"},
	}
	for _, c := range cases {
		got, err := l.svc.FindCredentials(l.admin, c.q)
		if err != nil {
			t.Fatal(err)
		}
		if names := l.names(got); names != c.want {
			t.Errorf("%s: %q, want %q", c.name, names, c.want)
		}
	}

	if _, err := l.svc.FindCredentials(l.reviewer, issuer.CredentialQuery{}); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a reviewer listed credentials: %v", err)
	}
}

func TestCredentialSummaries(t *testing.T) {
	l := newLedger(t)
	got, err := l.svc.FindCredentials(l.admin, issuer.CredentialQuery{Text: "zoe@district.example"})
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	long, short := got[1], got[0]
	if long.EarnerName != "Zoe Zimmer" || long.EarnerEmail != "zoe@district.example" ||
		long.AchievementName != "Coaching Cycles" || long.Credits != 10 || long.IssuerID != issuer.DefaultIssuerID ||
		long.Standing != issuer.StandingActive || !long.IssuedAt.Equal(day(2025, 9, 10, 9, 0, 0)) {
		t.Fatalf("summary: %+v", long)
	}
	if short.Standing != issuer.StandingSuspended || short.Counts() || short.ValidUntil != nil {
		t.Fatalf("suspended summary: %+v", short)
	}

	until := day(2025, 10, 10, 9, 0, 0)
	if long.ValidUntil == nil || !long.ValidUntil.Equal(until) {
		t.Fatalf("valid until %v, want %v", long.ValidUntil, until)
	}
	if long.Expired(until) || !long.Expired(until.Add(time.Second)) || short.Expired(until.AddDate(10, 0, 0)) {
		t.Fatal("expiry is misjudged")
	}
	if !long.Counts() {
		t.Fatal("an expired credential stopped counting for the year it was earned in")
	}

	one, err := l.svc.Summary(strings.TrimPrefix(long.ID, "urn:uuid:"))
	if err != nil || one.ID != long.ID || one.EarnerName != "Zoe Zimmer" {
		t.Fatalf("summary by bare UUID: %+v %v", one, err)
	}
	if _, err := l.svc.Summary("urn:uuid:00000000-0000-4000-8000-000000000000"); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("unknown credential: %v", err)
	}
}

func TestHeldCredentials(t *testing.T) {
	l := newLedger(t)
	held, err := l.svc.HeldCredentials(l.teacher)
	if err != nil {
		t.Fatal(err)
	}
	if names := l.names(held); names != "tom-short tom-long" {
		t.Fatalf("the teacher holds %q", names)
	}
	if held[0].EarnerName != "Tom Teacher" || held[0].AchievementName != "Reading Workshop" {
		t.Fatalf("summary: %+v", held[0])
	}

	zoe, err := l.svc.User(l.zoe)
	if err != nil {
		t.Fatal(err)
	}
	if held, _ := l.svc.HeldCredentials(zoe); l.names(held) != "zoe-short zoe-long" {
		t.Fatalf("zoe holds %q: suspended credentials are still hers", l.names(held))
	}
	if held, err := l.svc.HeldCredentials(l.reviewer); err != nil || len(held) != 0 {
		t.Fatalf("the reviewer holds %+v %v", held, err)
	}
	if _, err := l.svc.HeldCredentials(nil); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("nobody's credentials: %v", err)
	}
}

// report renders a credit report as "name hours [credentials]; ...".
func (l *ledger) report(t *testing.T, from, to time.Time) string {
	t.Helper()
	lines, err := l.svc.CreditReport(l.admin, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range lines {
		out = append(out, fmt.Sprintf("%s %g [%s]", line.Name, line.Hours, l.names(line.Credentials)))
	}
	return strings.Join(out, "; ")
}

func TestCreditReport(t *testing.T) {
	l := newLedger(t)
	year := func(start int) string {
		return l.report(t, day(start, 7, 1, 0, 0, 0), day(start+1, 7, 1, 0, 0, 0))
	}

	if got, want := year(2024), "Tom Teacher 10 [tom-long]"; got != want {
		t.Fatalf("2024–25: %q, want %q", got, want)
	}
	want := "Amy Adams 2.5 [amy-short]; Tom Teacher 2.5 [tom-short]; Zoe Zimmer 10 [zoe-long]"
	if got := year(2025); got != want {
		t.Fatalf("2025–26, without revoked or suspended: %q, want %q", got, want)
	}
	if got := year(2026); got != "" {
		t.Fatalf("an empty year: %q", got)
	}

	if _, err := l.svc.Reinstate(context.Background(), l.admin, l.byName["zoe-short"].ID, "cleared"); err != nil {
		t.Fatal(err)
	}
	if got := year(2025); !strings.Contains(got, "Zoe Zimmer 12.5 [zoe-short zoe-long]") {
		t.Fatalf("a reinstated credential does not count again: %q", got)
	}
	if got := l.report(t, time.Time{}, time.Time{}); !strings.Contains(got, "Tom Teacher 12.5") {
		t.Fatalf("all time: %q", got)
	}

	if _, err := l.svc.CreditReport(l.teacher, time.Time{}, time.Time{}); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a teacher read the report: %v", err)
	}
}

func TestSchoolYear(t *testing.T) {
	cases := map[time.Time]string{
		day(2025, 6, 30, 23, 59, 59): "2024–25",
		day(2025, 7, 1, 0, 0, 0):     "2025–26",
		day(2026, 1, 1, 0, 0, 0):     "2025–26",
		day(2026, 12, 31, 12, 0, 0):  "2026–27",
		day(1999, 7, 1, 0, 0, 0):     "1999–00",
		day(2000, 6, 1, 0, 0, 0):     "1999–00",
	}
	for at, want := range cases {
		if got := issuer.SchoolYear(at); got != want {
			t.Errorf("SchoolYear(%v) = %q, want %q", at, got, want)
		}
	}
}

func TestCreditsByYear(t *testing.T) {
	creds := []issuer.CredentialSummary{
		{Credits: 10, IssuedAt: day(2025, 6, 30, 23, 59, 59), Standing: issuer.StandingActive},
		{Credits: 2.5, IssuedAt: day(2025, 7, 1, 0, 0, 0), Standing: issuer.StandingActive},
		{Credits: 1.5, IssuedAt: day(2026, 3, 1, 0, 0, 0)}, // issued before status lists: counts
		{Credits: 100, IssuedAt: day(2026, 3, 2, 0, 0, 0), Standing: issuer.StandingRevoked},
		{Credits: 100, IssuedAt: day(2023, 3, 2, 0, 0, 0), Standing: issuer.StandingSuspended},
	}
	got := fmt.Sprint(issuer.CreditsByYear(creds))
	if want := "[{2025–26 4} {2024–25 10}]"; got != want {
		t.Fatalf("CreditsByYear = %s, want %s", got, want)
	}
	if got := issuer.CreditsByYear(nil); len(got) != 0 {
		t.Fatalf("no credentials: %v", got)
	}
}
