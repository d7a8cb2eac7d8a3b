package issuer_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/laurel-badges/laurel/issuer"
	"github.com/laurel-badges/laurel/store"
)

// testClock is a settable clock for issuer.Config.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// clockedOffice returns an office with people whose clock the test sets.
func clockedOffice(t *testing.T, edit ...func(*issuer.Config)) (*office, *testClock) {
	t.Helper()
	clk := newClock(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	edit = append(edit, func(c *issuer.Config) { c.Now = clk.now })
	o := newOffice(t, t.TempDir(), edit...)
	o.people(t)
	return o, clk
}

const goodPassword = "a long enough password"

// activate gives u a password through an invitation, as the pages do.
func activate(t *testing.T, o *office, u *issuer.User, password string) {
	t.Helper()
	inv, err := o.svc.Reinvite(context.Background(), o.admin, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.AcceptInvitation(context.Background(), inv.Token, password); err != nil {
		t.Fatal(err)
	}
}

// account returns the listed account with email, or fails.
func account(t *testing.T, o *office, email string) issuer.Account {
	t.Helper()
	list, err := o.svc.Accounts(o.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if strings.EqualFold(a.Email, email) {
			return a
		}
	}
	t.Fatalf("no account for %s in %d accounts", email, len(list))
	return issuer.Account{}
}

// hasAudit reports whether the audit record holds action on target.
func hasAudit(t *testing.T, o *office, actor, action, target string) bool {
	t.Helper()
	recs, err := o.svc.Audits(0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Actor == actor && r.Action == action && r.Target == target {
			return true
		}
	}
	return false
}

func TestInvitationLifecycle(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)

	inv, err := o.svc.Invite(ctx, o.admin, "  Nia Newcomer ", "nia@district.example", issuer.RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(inv.Token, "lri_") || inv.User.Name != "Nia Newcomer" ||
		inv.User.Role != issuer.RoleReviewer {
		t.Fatalf("invitation: %+v", inv.User)
	}
	if account(t, o, "nia@district.example").Active {
		t.Fatal("an invited person is active before setting a password")
	}
	if !hasAudit(t, o, o.admin.ID, "user.invite", inv.User.ID) {
		t.Fatal("the invitation is not audited")
	}

	who, err := o.svc.InvitedUser(inv.Token)
	if err != nil || who.ID != inv.User.ID {
		t.Fatalf("invited user: %+v %v", who, err)
	}
	if _, err := o.svc.AcceptInvitation(ctx, inv.Token, "short"); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("short password: %v", err)
	}
	if _, err := o.svc.AcceptInvitation(ctx, inv.Token, strings.Repeat("x", 129)); !errors.Is(err, issuer.ErrInvalid) {
		t.Fatalf("long password: %v", err)
	}

	u, err := o.svc.AcceptInvitation(ctx, inv.Token, goodPassword)
	if err != nil || u.ID != inv.User.ID {
		t.Fatalf("accepting, after refused passwords: %+v %v", u, err)
	}
	if !account(t, o, "nia@district.example").Active {
		t.Fatal("the person is not active after setting a password")
	}
	if !hasAudit(t, o, u.ID, "user.password", u.ID) {
		t.Fatal("setting the password is not audited")
	}
	if signed, err := o.svc.SignIn(ctx, "nia@district.example", goodPassword); err != nil || signed.ID != u.ID {
		t.Fatalf("signing in with the new password: %v", err)
	}
}

func TestInvitationIsSingleUse(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	inv, err := o.svc.Invite(ctx, o.admin, "Nia Newcomer", "nia@district.example", issuer.RoleEarner)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.AcceptInvitation(ctx, inv.Token, goodPassword); err != nil {
		t.Fatal(err)
	}

	if _, err := o.svc.InvitedUser(inv.Token); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("a used invitation still names its person: %v", err)
	}
	_, err = o.svc.AcceptInvitation(ctx, inv.Token, "another good password")
	if !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("a used invitation set a password again: %v", err)
	}
	if _, err := o.svc.SignIn(ctx, "nia@district.example", "another good password"); err == nil {
		t.Fatal("the second password works")
	}
	_, err = o.svc.Invite(ctx, o.admin, "Nia Again", "NIA@district.example", issuer.RoleAdmin)
	if !errors.Is(err, issuer.ErrConflict) {
		t.Fatalf("inviting a person who signs in: %v", err)
	}
}

func TestInvitationExpires(t *testing.T) {
	ctx := context.Background()
	o, clk := clockedOffice(t)
	early, _ := o.svc.Invite(ctx, o.admin, "Early Bird", "early@district.example", issuer.RoleEarner)
	late, _ := o.svc.Invite(ctx, o.admin, "Late Comer", "late@district.example", issuer.RoleEarner)

	clk.advance(issuer.InvitationLifetime - time.Second)
	if _, err := o.svc.AcceptInvitation(ctx, early.Token, goodPassword); err != nil {
		t.Fatalf("an invitation a second before it expires: %v", err)
	}

	clk.advance(time.Second)
	if _, err := o.svc.InvitedUser(late.Token); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("an expired invitation names its person: %v", err)
	}
	if _, err := o.svc.AcceptInvitation(ctx, late.Token, goodPassword); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("an expired invitation set a password: %v", err)
	}

	again, err := o.svc.Reinvite(ctx, o.admin, late.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.AcceptInvitation(ctx, again.Token, goodPassword); err != nil {
		t.Fatalf("a new link after expiry: %v", err)
	}
}

func TestUnknownTokensAreRefused(t *testing.T) {
	o, _ := clockedOffice(t)
	for _, token := range []string{"", "lri_", "lri_nothing", "lrs_nothing", "lri_" + strings.Repeat("a", 200)} {
		if _, err := o.svc.InvitedUser(token); !errors.Is(err, issuer.ErrUnauthorized) {
			t.Errorf("invitation %q: %v", token, err)
		}
	}
}

func TestInviteChecksInput(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	cases := []struct {
		name, email string
		role        issuer.Role
	}{
		{"", "a@district.example", issuer.RoleEarner},
		{strings.Repeat("n", 201), "a@district.example", issuer.RoleEarner},
		{"Ann", "not an email", issuer.RoleEarner},
		{"Ann", "Ann <ann@district.example>", issuer.RoleEarner},
		{"Ann", strings.Repeat("a", 250) + "@x.example", issuer.RoleEarner},
		{"Ann", "ann@district.example", "boss"},
		{"Ann", "ann@district.example", issuer.RoleClient},
	}
	for _, c := range cases {
		if _, err := o.svc.Invite(ctx, o.admin, c.name, c.email, c.role); !errors.Is(err, issuer.ErrInvalid) {
			t.Errorf("Invite(%.20q, %.30q, %q): %v", c.name, c.email, c.role, err)
		}
	}

	_, err := o.svc.Invite(ctx, o.reviewer, "Ann", "ann@district.example", issuer.RoleEarner)
	if !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a reviewer invited someone: %v", err)
	}
	_, err = o.svc.Invite(ctx, nil, "Ann", "ann@district.example", issuer.RoleEarner)
	if !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("nobody invited someone: %v", err)
	}
	if !hasAudit(t, o, o.reviewer.ID, "denied.user.invite", "") {
		t.Fatal("the refused invitation is not audited")
	}
}

// A teacher awarded a badge by email before having an account is invited
// into the same record, so their badges stay theirs.
func TestInviteMergesIntoKnownEmail(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	a, err := o.svc.CreateAchievement(ctx, o.admin, achievementInput())
	if err != nil {
		t.Fatal(err)
	}
	cred, _, err := o.svc.Award(ctx, o.admin, a.ID, issuer.Recipient{Name: "Pat", Email: "pat@district.example"})
	if err != nil {
		t.Fatal(err)
	}

	inv, err := o.svc.Invite(ctx, o.admin, "Pat Parker", "Pat@District.example", issuer.RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	if inv.User.ID != cred.EarnerID || inv.User.Name != "Pat Parker" || inv.User.Role != issuer.RoleReviewer {
		t.Fatalf("invited %+v, the award went to %s", inv.User, cred.EarnerID)
	}
	u, err := o.svc.AcceptInvitation(ctx, inv.Token, goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	held, err := o.svc.HeldCredentials(u)
	if err != nil || len(held) != 1 || held[0].ID != cred.ID {
		t.Fatalf("held after accepting: %+v %v", held, err)
	}
}

func TestReinvite(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	activate(t, o, o.teacher, goodPassword)

	inv, err := o.svc.Reinvite(ctx, o.admin, o.teacher.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SignIn(ctx, o.teacher.Email, goodPassword); err != nil {
		t.Fatalf("the old password stops working before the new link is used: %v", err)
	}
	if _, err := o.svc.AcceptInvitation(ctx, inv.Token, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SignIn(ctx, o.teacher.Email, goodPassword); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("the old password still works: %v", err)
	}
	if _, err := o.svc.SignIn(ctx, o.teacher.Email, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if !hasAudit(t, o, o.admin.ID, "user.reinvite", o.teacher.ID) {
		t.Fatal("the new link is not audited")
	}

	if _, err := o.svc.Reinvite(ctx, o.admin, "usr_nobody"); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
	mailless, _, err := o.svc.AddUser(ctx, "No Mail", "", issuer.RoleEarner)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.Reinvite(ctx, o.admin, mailless.ID); !errors.Is(err, issuer.ErrConflict) {
		t.Fatalf("a person without email: %v", err)
	}
	if _, err := o.svc.Reinvite(ctx, o.teacher, o.teacher.ID); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a teacher invited themselves: %v", err)
	}
}

func TestSignIn(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	activate(t, o, o.teacher, goodPassword)

	u, err := o.svc.SignIn(ctx, "  TOM@district.example ", goodPassword)
	if err != nil || u.ID != o.teacher.ID {
		t.Fatalf("right password: %+v %v", u, err)
	}

	_, wrong := o.svc.SignIn(ctx, o.teacher.Email, "the wrong password")
	_, unknown := o.svc.SignIn(ctx, "nobody@district.example", goodPassword)
	_, invited := o.svc.SignIn(ctx, o.reviewer.Email, goodPassword)
	_, long := o.svc.SignIn(ctx, o.teacher.Email, goodPassword+strings.Repeat("x", 200))
	for name, err := range map[string]error{"wrong": wrong, "unknown": unknown, "invited": invited, "long": long} {
		if !errors.Is(err, issuer.ErrUnauthorized) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if wrong.Error() != unknown.Error() {
		t.Fatalf("the answers tell which emails have accounts: %q, %q", wrong, unknown)
	}

	if !hasAudit(t, o, o.teacher.ID, "denied.signin", o.teacher.ID) {
		t.Fatal("a wrong password is not audited")
	}
	if !hasAudit(t, o, "email:nobody@district.example", "denied.signin", "email:nobody@district.example") {
		t.Fatal("an unknown email is not audited")
	}
}

// An unknown email costs a password hash too, so timing does not tell
// which emails have accounts. The bound is loose: it catches a missing
// decoy (a lookup alone takes microseconds), not small differences.
func TestSignInDecoyTiming(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	activate(t, o, o.teacher, goodPassword)

	fastest := func(email string) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			if _, err := o.svc.SignIn(ctx, email, "the wrong password"); err == nil {
				t.Fatal("signed in with a wrong password")
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	known, unknown := fastest(o.teacher.Email), fastest("nobody@district.example")
	if unknown < known/4 {
		t.Fatalf("an unknown email answers in %v, a known one in %v", unknown, known)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	o, clk := clockedOffice(t)

	token, sess, err := o.svc.StartSession(ctx, o.teacher)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "lrw_") || len(sess.CSRF) < 26 ||
		!sess.Expires.Equal(clk.now().Add(issuer.SessionLifetime)) {
		t.Fatalf("session: %q %+v", token[:4], sess)
	}
	got, err := o.svc.SessionFor(token)
	if err != nil || got.User.ID != o.teacher.ID || got.CSRF != sess.CSRF {
		t.Fatalf("looking the session up: %+v %v", got, err)
	}
	for _, bad := range []string{"", "lrs_nothing", "lri_" + strings.TrimPrefix(token, "lrs_"), token + "x"} {
		if _, err := o.svc.SessionFor(bad); !errors.Is(err, issuer.ErrUnauthorized) {
			t.Errorf("session %.8q...: %v", bad, err)
		}
	}

	if _, err := o.svc.SetRole(ctx, o.admin, o.teacher.ID, issuer.RoleReviewer); err != nil {
		t.Fatal(err)
	}
	if got, _ := o.svc.SessionFor(token); got == nil || got.User.Role != issuer.RoleReviewer {
		t.Fatalf("a session keeps the role it started with: %+v", got)
	}

	if err := o.svc.EndSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SessionFor(token); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("an ended session: %v", err)
	}
	if err := o.svc.EndSession(ctx, token); err != nil {
		t.Fatalf("ending an ended session: %v", err)
	}
	if !hasAudit(t, o, o.teacher.ID, "user.signout", o.teacher.ID) {
		t.Fatal("signing out is not audited")
	}
}

func TestSessionsExpire(t *testing.T) {
	ctx := context.Background()
	o, clk := clockedOffice(t)
	old, _, err := o.svc.StartSession(ctx, o.teacher)
	if err != nil {
		t.Fatal(err)
	}

	clk.advance(issuer.SessionLifetime - time.Second)
	if _, err := o.svc.SessionFor(old); err != nil {
		t.Fatalf("a session a second before it expires: %v", err)
	}
	clk.advance(time.Second)
	if _, err := o.svc.SessionFor(old); !errors.Is(err, issuer.ErrUnauthorized) {
		t.Fatalf("an expired session: %v", err)
	}

	if _, _, err := o.svc.StartSession(ctx, o.reviewer); err != nil {
		t.Fatal(err)
	}
	if n := countKeys(t, o.db, store.Sessions); n != 1 {
		t.Fatalf("%d sessions stored after a new one dropped the expired one, want 1", n)
	}
}

func countKeys(t *testing.T, db *store.DB, b store.Bucket) int {
	t.Helper()
	n := 0
	err := db.View(func(tx *store.Tx) error {
		return tx.Scan(b, "", func(string, []byte) (bool, error) { n++; return true, nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSetRole(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)

	u, err := o.svc.SetRole(ctx, o.admin, o.teacher.ID, issuer.RoleReviewer)
	if err != nil || u.Role != issuer.RoleReviewer {
		t.Fatalf("promoting: %+v %v", u, err)
	}
	if stored, _ := o.svc.User(o.teacher.ID); stored.Role != issuer.RoleReviewer {
		t.Fatalf("stored role %s", stored.Role)
	}
	if !hasAudit(t, o, o.admin.ID, "user.role", o.teacher.ID) {
		t.Fatal("the role change is not audited")
	}

	for _, role := range []issuer.Role{issuer.RoleReviewer, issuer.RoleEarner} {
		if _, err := o.svc.SetRole(ctx, o.admin, o.admin.ID, role); !errors.Is(err, issuer.ErrConflict) {
			t.Errorf("an administrator made themselves %s: %v", role, err)
		}
	}
	if u, err := o.svc.SetRole(ctx, o.admin, o.admin.ID, issuer.RoleAdmin); err != nil || u.Role != issuer.RoleAdmin {
		t.Fatalf("keeping one's own role: %v", err)
	}

	for _, role := range []issuer.Role{"", "boss", issuer.RoleClient} {
		if _, err := o.svc.SetRole(ctx, o.admin, o.teacher.ID, role); !errors.Is(err, issuer.ErrInvalid) {
			t.Errorf("role %q: %v", role, err)
		}
	}
	if _, err := o.svc.SetRole(ctx, o.admin, "usr_nobody", issuer.RoleEarner); !errors.Is(err, issuer.ErrNotFound) {
		t.Fatalf("unknown person: %v", err)
	}
	if _, err := o.svc.SetRole(ctx, o.reviewer, o.reviewer.ID, issuer.RoleAdmin); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a reviewer made themselves administrator: %v", err)
	}
}

func TestAccounts(t *testing.T) {
	ctx := context.Background()
	o, clk := clockedOffice(t)
	clk.advance(time.Hour)
	inv, err := o.svc.Invite(ctx, o.admin, "Newest Person", "newest@district.example", issuer.RoleEarner)
	if err != nil {
		t.Fatal(err)
	}
	activate(t, o, o.reviewer, goodPassword)

	list, err := o.svc.Accounts(o.admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 || list[0].ID != inv.User.ID {
		t.Fatalf("accounts, newest first: %+v", list)
	}
	for _, a := range list {
		if a.Active != (a.ID == o.reviewer.ID) {
			t.Errorf("%s active=%v", a.Email, a.Active)
		}
	}
	if _, err := o.svc.Accounts(o.reviewer); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a reviewer listed the accounts: %v", err)
	}
}

func TestImportPeople(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	activate(t, o, o.reviewer, goodPassword)

	roster := "\ufeffEmail, Name ,ROLE,school\n" +
		"ann@district.example,Ann Archer,,North\n" +
		"ben@district.example,Ben Baker,teacher,North\n" +
		"cat@district.example,\"Cat, the Coach\",Reviewer,South\n" +
		"rita@district.example,Rita Again,admin,South\n" +
		"tom@district.example,Tom T.,earner,East\n"
	res, err := o.svc.ImportPeople(ctx, o.admin, strings.NewReader(roster))
	if err != nil {
		t.Fatal(err)
	}

	got := map[string]issuer.Role{}
	for _, inv := range res.Invited {
		got[inv.User.Name] = inv.User.Role
		if _, err := o.svc.InvitedUser(inv.Token); err != nil {
			t.Errorf("%s's link: %v", inv.User.Name, err)
		}
	}
	want := map[string]issuer.Role{"Ann Archer": issuer.RoleEarner, "Ben Baker": issuer.RoleEarner,
		"Cat, the Coach": issuer.RoleReviewer, "Tom T.": issuer.RoleEarner}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("invited %v, want %v", got, want)
	}
	if len(res.Skipped) != 1 || res.Skipped[0] != "rita@district.example" {
		t.Fatalf("skipped %v", res.Skipped)
	}
	if a := account(t, o, "rita@district.example"); a.Role != issuer.RoleReviewer || a.Name != "Rita Reviewer" {
		t.Fatalf("a skipped person changed: %+v", a)
	}
	if a := account(t, o, "tom@district.example"); a.ID != o.teacher.ID {
		t.Fatalf("a known person got a second record: %+v", a)
	}
}

// A roster with a mistake anywhere changes nothing, and the error names
// the line to fix.
func TestImportRefusesBadRosters(t *testing.T) {
	ctx := context.Background()
	o, _ := clockedOffice(t)
	good := "name,email\nAnn,ann@district.example\n"
	cases := map[string]struct{ roster, want string }{
		"bad email":     {good + "Ben,not-an-email\n", "line 3"},
		"bad role":      {"name,email,role\nAnn,ann@district.example,boss\n", "line 2"},
		"nameless":      {good + ",ben@district.example\n", "line 3"},
		"duplicate":     {good + "Ann Again,ANN@district.example\n", "line 3"},
		"blank lines":   {good + "\n\nBen,not-an-email\n", "line 5"},
		"quoted break":  {"name,email\n\"Ann\nArcher\",ann@district.example\nBen,bad\n", "line 4"},
		"broken quote":  {good + "\"Ben,ben@district.example\n", "line 3"},
		"no email col":  {"name,mail\nAnn,ann@district.example\n", "name and email"},
		"empty":         {"", "header"},
		"too many rows": {"name,email\n" + rows(5001), "at most 5000"},
	}
	before := len(accounts(t, o))
	for name, c := range cases {
		res, err := o.svc.ImportPeople(ctx, o.admin, strings.NewReader(c.roster))
		if !errors.Is(err, issuer.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %q", name, err, c.want)
		}
		if res != nil && len(res.Invited) > 0 {
			t.Errorf("%s: invited %d", name, len(res.Invited))
		}
	}
	if after := len(accounts(t, o)); after != before {
		t.Fatalf("bad rosters added %d people", after-before)
	}
	if _, err := o.svc.ImportPeople(ctx, o.reviewer, strings.NewReader(good)); !errors.Is(err, issuer.ErrForbidden) {
		t.Fatalf("a reviewer imported a roster: %v", err)
	}
}

// rows returns n roster lines with distinct emails.
func rows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "Person %d,p%d@district.example\n", i, i)
	}
	return b.String()
}

func accounts(t *testing.T, o *office) []issuer.Account {
	t.Helper()
	list, err := o.svc.Accounts(o.admin)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
